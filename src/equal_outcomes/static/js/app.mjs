import { initAll } from '../build/govuk-frontend.min.js'

initAll()

// A long list of choices (a language from 43) is a select that works without scripts; with
// them, it becomes a box to type into that suggests as you type (accessible-autocomplete).
if (window.accessibleAutocomplete) {
  document.querySelectorAll('select[data-eo-autocomplete]').forEach((select) => {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: '',
      showAllValues: true,
      dropdownArrow: () => '',
      tNoResults: () => select.dataset.eoNoResults || 'No results found',
      tStatusQueryTooShort: (n) => (select.dataset.eoTypeMore || 'Type in {n} or more characters for results').replace('{n}', n),
      tStatusNoResults: () => select.dataset.eoNoResults || 'No results found',
      tStatusSelectedOption: (option, length, index) => `${option} ${index + 1} / ${length}`,
      tStatusResults: (length, content) => `${content} (${length})`
    })
  })
}

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
