// Talking to the kernel: requests and their reply callbacks, and the bytes of a reply's buffers.

/** Requests to the kernel with their reply callbacks; `dispose` drops every pending one. */
export class Requests {
  constructor(model) {
    this.model = model;
    this.lastId = 0;
    this.pending = new Map(); // id -> callback
    this.disposed = false;
  }

  send(content, callback) {
    if (this.disposed) return null;
    const id = ++this.lastId;
    if (callback) this.pending.set(id, callback);
    this.model.send({ ...content, id });
    return id;
  }

  /** Call the callback waiting for this reply, if any. */
  answer(message, buffers) {
    if (message.id === undefined || !this.pending.has(message.id)) return;
    const callback = this.pending.get(message.id);
    this.pending.delete(message.id);
    callback({ ...message, buffers }, buffers);
  }

  dispose() {
    this.disposed = true;
    this.pending.clear();
  }
}

export function bytesFrom(buffer) {
  if (!buffer) return null;
  return buffer.buffer ? new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)) : new Uint8Array(buffer);
}
