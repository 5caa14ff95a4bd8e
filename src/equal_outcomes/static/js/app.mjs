import { initAll } from '../build/govuk-frontend.min.js'

initAll()

// A page waiting for work in the background (results, an import, a report) says so in a
// status region and offers a link to check again. With scripts, it checks by itself every few
// seconds, without reloading, and opens the finished page when the work is done.
const waiting = document.querySelector('[data-eo-waiting]')
if (waiting) {
  const status = waiting.querySelector('[role="status"]')
  const started = Date.now()
  const check = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin' })
      const fresh = new DOMParser()
        .parseFromString(await response.text(), 'text/html')
        .querySelector('[data-eo-waiting]')
      if (!fresh) {
        window.location.reload()
        return
      }
      const seconds = Math.round((Date.now() - started) / 1000)
      const freshStatus = fresh.querySelector('[role="status"]')
      if (status && freshStatus && freshStatus.textContent !== status.textContent) {
        status.textContent = freshStatus.textContent // progress, as the page now tells it
      } else if (status && waiting.dataset.eoStill) {
        status.textContent = waiting.dataset.eoStill.replace('{seconds}', String(seconds))
      }
    } catch (error) {
      // A network hiccup: the link to check again still works.
    }
    window.setTimeout(check, 3000)
  }
  window.setTimeout(check, 3000)
}
