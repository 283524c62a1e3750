// Customers in the shop's support chat: a live-chat widget holds a WebSocket for the whole visit.
//   chatter: logs in to the API for a bearer token (it goes with the WebSocket handshake, as the
//   user's cookies do), opens /ws/chat, and asks the support bot a question now and then. Each question's
//   round trip (send → the bot's answer) is a sample of `WS /ws/chat`; the handshakes are
//   `WS /ws/chat (connect)`. A chat the server closed is opened again at the next question.
// What can fail: a refused handshake (`ws_handshake_401` once a token is no longer accepted), the
// server closing the chat (`ws_closed`), an answer slower than 5 s (`ws_timeout`).
//
//   brink run scenarios/ws-chat.ts --host http://localhost:8000
import {scenario, user, task, between, csv, type UserContext, type WsSocket} from 'brink';
import {apiLogin, keepTokenFresh} from './lib/api-auth.js';

const accounts = csv<{username: string; password: string}>('data/accounts.csv');
const QUESTIONS = [
  'Where is my order?',
  'Can I change the delivery address?',
  'Do you ship to Lyon?',
  'Is the webcam back in stock?',
  'How do I return a keyboard?',
];

/** The user's chat, opened (again) when it has none open: the handshake carries a fresh token. */
async function chat(ctx: UserContext): Promise<WsSocket | undefined> {
  const open = ctx.vars.chat as WsSocket | undefined;
  if (open?.open) return open;
  if (!(await keepTokenFresh(ctx))) return undefined;
  ctx.vars.chat = await ctx.ws.connect('/ws/chat', {name: 'WS /ws/chat'});
  return ctx.vars.chat;
}

export const chatter = user(
  'chatter',
  {
    // Reading the answer and typing the next question.
    wait: between(2, 5),
    onStart: async (ctx) => {
      const {username, password} = ctx.data(accounts);
      if (await apiLogin(ctx, `${username}@example.com`, password)) await chat(ctx);
    },
  },
  [
    task('ask', async (ctx) => {
      const sock = await chat(ctx);
      if (!sock) return;
      sock.send(JSON.stringify({text: ctx.pick(QUESTIONS)}));
      const answer = (await sock.next({timeout: 5})).json<{from: string; text: string}>();
      if (answer.from !== 'support-bot') throw new Error(`an answer from ${answer.from}, not the support bot`);
    }),
  ],
);

export default scenario({name: 'support chat', users: [chatter]});
