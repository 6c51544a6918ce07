// Live event attendee page, progressive enhancement: the page works with plain forms and the
// "Check for the next question" link. With JavaScript, a server-sent event stream reloads the
// page when the presenter moves on, locks voting or reveals the answer.
const root = document.getElementById('live-attendee');

if (root && 'EventSource' in window) {
  const version = Number(root.dataset.version);
  const notice = root.querySelector('[data-live-notice]');
  const source = new EventSource(root.dataset.events);
  let reloading = false;
  source.addEventListener('state', (e) => {
    const state = JSON.parse(e.data);
    if (reloading || !(state.version > version)) return;
    // Never throw away a concern someone is typing: offer the link instead.
    const typing = [...document.querySelectorAll('textarea')].some((t) => t.value.trim() !== '');
    if (typing) {
      if (notice) notice.textContent = 'The presenter has moved on. Send your message, then use "Check for the next question".';
      return;
    }
    reloading = true;
    source.close();
    // Spread a room's reloads over a moment so hundreds of phones do not arrive at once.
    setTimeout(() => window.location.reload(), Math.floor(Math.random() * 600));
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED && notice) notice.textContent = 'Live updates stopped. Use "Check for the next question".';
  });
}
