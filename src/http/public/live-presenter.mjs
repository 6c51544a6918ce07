// Live event presenter view, progressive enhancement: controls are plain forms and the page
// shows the counts at load. With JavaScript, a server-sent event stream updates the bar chart
// as answers land, and reloads when the slide or voting state changes (another tab or instance).
const root = document.getElementById('live-presenter');

if (root && 'EventSource' in window) {
  const version = Number(root.dataset.version);
  const question = root.dataset.question;
  const source = new EventSource(root.dataset.events);
  source.addEventListener('state', (e) => {
    const state = JSON.parse(e.data);
    if (state.version > version) {
      source.close();
      window.location.reload();
    }
  });
  source.addEventListener('counts', (e) => {
    const data = JSON.parse(e.data);
    if (!question || data.questionId !== question) return;
    const chart = root.querySelector('[data-live-chart]');
    if (!chart) return;
    const total = data.total;
    const totalEl = chart.querySelector('[data-live-total]');
    if (totalEl) totalEl.textContent = String(total);
    for (const row of chart.querySelectorAll('tr[data-option]')) {
      const votes = data.counts[row.dataset.option] ?? 0;
      const pct = total ? Math.round((votes * 100) / total) : 0;
      const count = row.querySelector('[data-live-count]');
      const share = row.querySelector('[data-live-pct]');
      const bar = row.querySelector('[data-live-bar]');
      if (count) count.textContent = String(votes);
      if (share) share.textContent = `${pct}%`;
      if (bar) bar.className = `live-bar live-bar--p${pct}`;
    }
  });
}
