// The room's chat, shared by the console and the candidate view.

import { h, clockTime } from './dom.js';

/**
 * mountChat renders chat.message events into log and sends form's message
 * with chat.send; the text stays in the box until the server acknowledges it.
 * @param {import('./socket.js').RoomSocket} socket
 * @param {{log: HTMLElement, form: HTMLFormElement, input: HTMLInputElement|HTMLTextAreaElement, status: HTMLElement, me: () => number}} els
 */
export function mountChat(socket, { log, form, input, status, me }) {
  const seen = new Set();
  const list = log.querySelector('ol') ?? log;
  socket.on('chat.message', (f) => {
    if (seen.has(f.seq)) return;
    seen.add(f.seq);
    const d = f.data ?? {};
    const mine = d.from === me();
    const who = mine ? 'You' : d.name || 'Someone';
    const role = d.role === 'interviewer' ? 'interviewer' : 'candidate';
    list.append(
      h('li', { class: `chat-msg ${role}${mine ? ' mine' : ''}` },
        h('span', { class: 'chat-meta' },
          h('strong', { text: who }),
          role === 'interviewer' && !mine ? ' (interviewer)' : '',
          ' ',
          h('time', { datetime: f.ts, text: clockTime(f.ts) })),
        h('span', { class: 'chat-text', text: d.text ?? '' })),
    );
    log.scrollTop = log.scrollHeight;
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const button = form.querySelector('button');
    button.disabled = true;
    status.textContent = 'Sending…';
    try {
      await socket.request('chat.send', { text });
      input.value = '';
      status.textContent = '';
    } catch (err) {
      status.textContent = `Not sent: ${err.message} Press Send to try again.`;
    } finally {
      button.disabled = false;
    }
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && input.tagName === 'TEXTAREA') {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
}
