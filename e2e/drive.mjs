// Drives Microsoft 365 Agents Playground in headless Chromium (Debian's /usr/bin/chromium)
// through the user journeys of MED-bot and takes a screenshot after each into e2e/out/.
//
//   node e2e/drive.mjs [playground-url]
//
// Steps: welcome, a question (answer card with source), an idea submitted through the
// card, the case-level dialog, a reminder that arrives. Results go to e2e/out/report.json;
// the exit code is 0 only when every step passed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const url = process.argv[2] || process.env.PLAYGROUND_URL || 'http://localhost:56150/';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const reminderWaitMs = Number(process.env.E2E_REMINDER_WAIT_MS || 150000);
fs.mkdirSync(out, { recursive: true });

const NOT_AVAILABLE = 'Det kan jeg ikke endnu';
const ANSWERED = 'hører sagen hjemme i';
const APOLOGY = 'Beklager, der gik noget galt';
const report = { url, started: new Date().toISOString(), steps: [] };

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medbot-e2e-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(30000);

const chatText = () => page.evaluate(() => document.body.innerText);
// How many bot messages (the Playground's output cards) contain `needle`.
const botMessagesWith = (needle) =>
  page.evaluate((n) => [...document.querySelectorAll('.fai-OutputCard')].filter((e) => e.innerText.includes(n)).length, needle);
const count = (text, needle) => text.split(needle).length - 1;

async function shot(name) {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

async function say(text) {
  const box = page.locator('[contenteditable="true"][role="textbox"]').first();
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// Wait until `needle` (string or RegExp) occurs more often than `before` times.
async function waitForMore(needle, before, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const text = await chatText();
    if (occurrences(text, needle) > before) return true;
    await page.waitForTimeout(300);
  }
  return false;
}

function occurrences(text, needle) {
  return needle instanceof RegExp ? (text.match(new RegExp(needle.source, needle.flags + 'g')) || []).length : count(text, needle);
}

async function settle(ms = 1500) {
  await page.waitForTimeout(ms);
}

async function step(name, fn) {
  const started = Date.now();
  let status = 'passed';
  let detail = '';
  try {
    detail = (await fn()) || '';
    if (detail.startsWith('SKIP:')) status = 'not available';
  } catch (error) {
    status = 'failed';
    detail = String(error && error.message ? error.message : error).slice(0, 500);
  }
  const screenshot = await shot(name).catch(() => null);
  const text = await chatText().catch(() => '');
  if (status === 'passed' && text.includes(APOLOGY)) {
    status = 'failed';
    detail = `the bot apologised for an error. ${detail}`;
  }
  report.steps.push({ name, status, detail, screenshot, seconds: (Date.now() - started) / 1000 });
  console.log(`${status.toUpperCase().padEnd(13)} ${name}${detail ? ' — ' + detail : ''}`);
}

// The last Adaptive Card on the page and its buttons.
function lastCard() {
  return page.locator('.ac-adaptiveCard').last();
}

async function fillInputs(card, text) {
  // Free-text inputs get the text; a choice (a <select>, or the Playground's combobox)
  // gets its first option, as a person picking an area would.
  const inputs = card.locator('input[type="text"], textarea');
  const n = await inputs.count();
  for (let i = 0; i < n; i++) {
    const input = inputs.nth(i);
    if (!(await input.isVisible())) continue;
    const role = (await input.getAttribute('role')) || '';
    const list = (await input.getAttribute('list')) || (await input.getAttribute('aria-autocomplete')) || '';
    if (role === 'combobox' || list) {
      await input.click();
      const option = page.getByRole('option').first();
      if (await option.count()) await option.click();
      continue;
    }
    if ((await input.inputValue()) === '') await input.fill(text);
  }
  const selects = card.locator('select');
  for (let i = 0; i < (await selects.count()); i++) {
    const select = selects.nth(i);
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
    if (values.length) await select.selectOption(values[0]);
  }
  return n;
}

async function clickButton(card, prefer, avoid) {
  const buttons = card.locator('button, .ac-pushButton');
  const n = await buttons.count();
  const titles = [];
  for (let i = 0; i < n; i++) titles.push(((await buttons.nth(i).innerText()) || '').trim());
  let index = titles.findIndex((t) => prefer.test(t) && !avoid.test(t));
  if (index < 0) index = titles.findIndex((t) => t && !avoid.test(t));
  if (index < 0) return null;
  await buttons.nth(index).click();
  return titles[index];
}

await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });

await step('01-welcome', async () => {
  if (!(await waitForMore('Hej, jeg er MED-bot', 0, 45000))) throw new Error('no welcome message');
  await settle(2000);
  const n = await botMessagesWith('Jeg hjælper med MED-systemet');
  if (n === 0) throw new Error('no welcome message in the chat');
  if (n > 1) throw new Error(`welcome shown ${n} times, expected once (installationUpdate and conversationUpdate arrive together)`);
  return 'welcome shown once';
});

await step('02-question', async () => {
  const before = count(await chatText(), 'Kilde:');
  await say('hvad er en AMR?');
  if (!(await waitForMore('Kilde:', before))) throw new Error('no answer card with a source');
  await settle();
  return 'answer card with »Kilde:« shown';
});

await step('03-idea-through-the-card', async () => {
  const text0 = await chatText();
  await say('ny idé');
  await settle(3000);
  const text1 = await chatText();
  if (count(text1, NOT_AVAILABLE) > count(text0, NOT_AVAILABLE)) return 'SKIP: the idea dialog is not wired into this build (the bot said »Det kan jeg ikke endnu«)';
  const done = /#\d{4}-\d{3} er modtaget/;
  const clicked = [];
  for (let i = 0; i < 8; i++) {
    const before = occurrences(await chatText(), done);
    const card = lastCard();
    if ((await card.count()) === 0) throw new Error('the idea dialog showed no card');
    await fillInputs(card, i === 0 ? 'E2E: Fælles indkøb af kontorartikler' : 'Vi sparer penge ved at købe ind sammen på tværs af afdelingerne.');
    const title = await clickButton(card, /bekræft|send|videre|næste|gem|indsend|ja/i, /annuller|fortryd|afbryd|redig|ret |støt/i);
    if (!title) throw new Error('no button to click on the idea card');
    clicked.push(title);
    await settle(2500);
    if (occurrences(await chatText(), done) > before) return `idea submitted via the card (clicked: ${clicked.join(' → ')})`;
  }
  throw new Error(`no receipt after clicking ${clicked.join(' → ')}`);
});

await step('04-case-level-dialog', async () => {
  const text0 = await chatText();
  const answered0 = count(text0, ANSWERED);
  await say('hvilket udvalg skal behandle en sag om ny mødestruktur i forvaltningen?');
  await settle(3000);
  const text1 = await chatText();
  if (count(text1, NOT_AVAILABLE) > count(text0, NOT_AVAILABLE)) return 'SKIP: the case-level dialog is not wired into this build';
  const clicked = [];
  for (let i = 0; i < 6; i++) {
    const card = lastCard();
    if ((await card.count()) === 0) break;
    const title = await clickButton(card, /ja|videre|næste|kommunaldirektør|direktør|chef|leder/i, /annuller|fortryd|afbryd|ved ikke/i);
    if (!title) break;
    clicked.push(title);
    await settle(2500);
    if (count(await chatText(), ANSWERED) > answered0) break;
  }
  const final = await chatText();
  if (!(count(final, ANSWERED) > answered0)) {
    throw new Error(`no committee named after clicking ${clicked.join(' → ') || 'nothing'}`);
  }
  return `clicked: ${clicked.join(' → ') || '(typed only)'}`;
});

await step('05-reminder-arrives', async () => {
  const marker = 'tjekke e2e-påmindelsen';
  const text0 = await chatText();
  await say(`mind mig om at ${marker} om 1 minut`);
  await settle(3000);
  const text1 = await chatText();
  if (count(text1, NOT_AVAILABLE) > count(text0, NOT_AVAILABLE)) return 'SKIP: reminders are not wired into this build';
  if (count(text1, marker) === 0) throw new Error('the bot did not echo back the reminder it understood');
  const confirmed = await clickButton(lastCard(), /^ja$/i, /nej/i);
  if (confirmed === null) throw new Error('no »Ja« button on the echo');
  await settle(2500);
  const echoed = count(await chatText(), marker);
  const arrived = await waitForMore(marker, echoed, reminderWaitMs);
  if (!arrived) throw new Error(`the reminder did not arrive within ${reminderWaitMs / 1000}s`);
  await settle();
  return 'the reminder arrived in the chat';
});

if (process.env.E2E_DUMP === '1') fs.writeFileSync(path.join(out, 'page.html'), await page.content());
report.finished = new Date().toISOString();
fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(report, null, 2));
await context.close();
fs.rmSync(profile, { recursive: true, force: true });
const failed = report.steps.filter((s) => s.status !== 'passed');
const allowMissing = process.env.E2E_ALLOW_MISSING === '1';
const blocking = failed.filter((s) => !(allowMissing && s.status === 'not available'));
console.log(`${report.steps.length - failed.length} passed, ${failed.length} failed`);
process.exit(blocking.length ? 1 : 0);
