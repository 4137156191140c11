// A local fake of the Telegram Bot API (https://core.telegram.org/bots/api)
// for the browser end-to-end tests, following its documented wire format
// like backend/channels/telegram/fakebot: methods at /bot<token>/<method>
// with JSON bodies; answers {"ok":true,"result":...} or {"ok":false,
// "error_code":N,"description":"..."}; getUpdates long-polls up to its
// timeout and confirms updates below the offset it is sent; sendMessage
// records what the bot sent.
import { createServer } from 'node:http';

export class FakeBot {
  constructor(token) {
    this.token = token;
    this.bot = { id: 7770001, is_bot: true, first_name: 'Shop', username: 'shop_e2e_bot' };
    this.updates = [];
    this.nextUpdate = 1;
    this.nextMessage = 100;
    this.sent = [];
    this.failGetUpdates = null; // {code, description} while set
    this.waiters = [];
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** start listens on a free loopback port and returns the base URL. */
  async start() {
    await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this.url;
  }

  async close() {
    for (const w of this.waiters) w();
    this.server.closeAllConnections?.();
    await new Promise((r) => this.server.close(r));
  }

  /** text queues a private message from a user. */
  text(user, text) {
    const date = Math.floor(Date.now() / 1000);
    this.updates.push({
      update_id: this.nextUpdate++,
      message: {
        message_id: this.nextMessage++,
        from: { id: user.id, is_bot: false, first_name: user.first_name, last_name: user.last_name ?? '', username: user.username ?? '' },
        chat: { id: user.id, type: 'private', first_name: user.first_name, last_name: user.last_name ?? '', username: user.username ?? '' },
        date,
        text,
      },
    });
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }

  handle(req, res) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!m) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = m;
      if (token !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      let p = {};
      try {
        p = body ? JSON.parse(body) : {};
      } catch {
        return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      switch (method) {
        case 'getMe':
          return this.ok(res, this.bot);
        case 'getUpdates':
          return this.getUpdates(res, p);
        case 'sendMessage': {
          const msg = { message_id: this.nextMessage++, from: this.bot, chat: { id: Number(p.chat_id), type: 'private' }, date: Math.floor(Date.now() / 1000), text: p.text };
          this.sent.push({ method, chat_id: Number(p.chat_id), text: p.text, reply_parameters: p.reply_parameters });
          return this.ok(res, msg);
        }
        default:
          return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
    });
  }

  async getUpdates(res, p) {
    if (this.failGetUpdates) {
      const f = this.failGetUpdates;
      return this.reply(res, f.code, { ok: false, error_code: f.code, description: f.description });
    }
    const offset = Number(p.offset ?? 0);
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    if (this.updates.length === 0 && Number(p.timeout) > 0) {
      // Long poll: answer when an update arrives or the timeout passes.
      await new Promise((r) => {
        const timer = setTimeout(r, Math.min(Number(p.timeout), 25) * 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
      if (this.failGetUpdates) return this.getUpdates(res, p);
    }
    return this.ok(res, this.updates.slice(0, Number(p.limit) || 100));
  }

  /** failUpdates makes getUpdates fail (e.g. 401 after the token was
   * revoked) until cleared with null; a waiting poll answers at once. */
  failUpdates(f) {
    this.failGetUpdates = f;
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }

  ok(res, result) {
    this.reply(res, 200, { ok: true, result });
  }

  reply(res, status, obj) {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(obj));
  }
}
