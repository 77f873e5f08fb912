// Opens an HTML report as a person would, in headless Chromium, and prints what they would see as JSON: the
// headings, the table headers, the failing cells and how they look, console and page errors, requests that left the
// file, and a screenshot. Run by VerificationHtmlBrowserTest with playwright-core on NODE_PATH.
const { chromium } = require('playwright-core');

(async () => {
  const [file, screenshot] = process.argv.slice(2);
  const url = 'file://' + file;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const outside = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('request', r => { if (r.url() !== url) outside.push(r.url()); });
  await page.goto(url, { waitUntil: 'load' });
  const seen = await page.evaluate(() => ({
    title: document.querySelector('h1').innerText,
    summary: document.querySelector('.summary').innerText,
    sections: [...document.querySelectorAll('h2')].map(h => h.innerText),
    columns: [...document.querySelectorAll('table')[0].querySelectorAll('tr:first-child th')].map(th => th.innerText),
    failed: [...document.querySelectorAll('td.failed')].map(td => ({
      text: td.innerText, background: getComputedStyle(td).backgroundColor, visible: td.getBoundingClientRect().height > 0 })),
    scripts: document.scripts.length,
    environments: [...document.querySelectorAll('ul.environments > li')].map(li => li.innerText),
    links: [...document.querySelectorAll('ul.environments a')].map(a => a.getAttribute('href')),
    rows: [...document.querySelectorAll('table tr > th:first-child')].map(th => th.innerText),
    errorCells: [...document.querySelectorAll('td.error')].map(td => td.innerText),
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  // Following the first failure's link lands on its row.
  seen.linkTargets = [];
  for (const href of seen.links) {
    seen.linkTargets.push(await page.evaluate(h => { const el = document.getElementById(h.substring(1)); return el ? el.innerText : null; }, href));
  }
  if (seen.links.length > 0) {
    await page.click('ul.environments a');
    seen.afterClick = await page.evaluate(h => { const r = document.getElementById(h.substring(1)).getBoundingClientRect();
      return { top: r.top, inView: r.top >= 0 && r.top < window.innerHeight }; }, seen.links[0]);
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-after-click.png') });
  }
  await browser.close();
  console.log(JSON.stringify({ ...seen, errors, outside }));
})().catch(e => { console.error(String(e)); process.exit(2); });
