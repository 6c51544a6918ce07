// Proof of work for the report form during a burst of reports (ALTCHA-style, see
// src/modules/reporting/pow.ts). Progressive enhancement: without JavaScript the server asks the
// reporter to wait a minute instead. Finds n with SHA-256(salt + n) = challenge, then submits.
const form = document.querySelector('form[data-pow-challenge]');

async function sha256hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function solve(c) {
  for (let n = 0; n <= c.maxnumber; n++) {
    if ((await sha256hex(c.salt + n)) === c.challenge) return n;
  }
  return null;
}

if (form && globalThis.crypto?.subtle) {
  let solved = false;
  form.addEventListener('submit', async (event) => {
    if (solved) return;
    event.preventDefault();
    const status = form.querySelector('[data-pow-status]');
    if (status) {
      status.textContent = 'Checking your browser before sending. This takes a few seconds.';
      status.classList.remove('govuk-!-display-none');
    }
    try {
      const c = JSON.parse(form.dataset.powChallenge);
      const number = await solve(c);
      if (number !== null) {
        const payload = { algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature };
        form.querySelector('input[name="altcha"]').value = globalThis.btoa(JSON.stringify(payload));
      }
    } catch {
      // Send without a solution: the server explains what to do.
    }
    solved = true;
    form.submit();
  });
}
