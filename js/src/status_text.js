// What the view says of the connection and its lists: the state, a pause, the count shown,
// the notes and hints.

/** The header's flow-control badge: "paused: 4,096 Data callbacks behind", or "" while reading. */
export function pausedText(reason) {
  return reason ? `paused: ${reason}` : "";
}

/**
 * What the live region says when the pause reason goes from `before` to `after` ("" while
 * reading): once on a pause, once on the resume, nothing while the reason only changes.
 */
export function pauseAnnouncement(before, after) {
  if (!before && after) return `reading paused: ${after}`;
  if (before && !after) return "reading resumed";
  return null;
}

/** The state pill's text: the state, and "NOT CONNECTED" for a socket never connected (NEW). */
export function stateLabel(state) {
  if (!state) return "CLOSED";
  return state === "NEW" ? "NOT CONNECTED" : state;
}

/** What the live region says for a state: "OPEN", "CLOSED 1000 (normal closure)", "ERROR refused". */
export function stateAnnouncement(state, reason, reconnect) {
  const parts = [stateLabel(state)];
  if (reconnect && reconnect.retry) parts.push(`attempt ${reconnect.retry}`);
  if (reason) parts.push(reason);
  return parts.join(" ");
}

/**
 * What the Connect button asks for: `{url}` (what was typed; "" reconnects as before) or
 * `{error}` when nothing was typed and the socket was never connected, so there is nothing to
 * reconnect to.
 */
export function connectRequest(typed, state) {
  const url = String(typed || "").trim();
  if (!url && state === "NEW") return { error: "type a ws:// or wss:// URL first, then Connect" };
  return { url };
}

/** The count under the filters: "12 records", "3 match", or why nothing is shown. */
export function shownText(total, unfiltered, problem) {
  if (problem) return `${problem} — no records shown`;
  return unfiltered ? `${total} records` : `${total} match`;
}

/** The note over a record's detail once the socket connected again after that record. */
export function detailNote(seq, lastOpenSeq) {
  return seq !== null && seq !== undefined && lastOpenSeq > seq
    ? "from an earlier connection: the socket has connected again since"
    : "";
}

/** The Frames tab's hint: how to start recording, or that frames come once recording is on. */
export function framesHint(on, total) {
  if (!on) {
    return total
      ? "Recording is off: the frames below are from before. Record frames to see new ones (ws.frame_log = True)."
      : "Frames are not recorded yet. Record frames to see every frame sent and received (ws.frame_log = True).";
  }
  return total ? "" : "Recording: every frame sent and received from now on shows here.";
}
