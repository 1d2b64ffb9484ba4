// The console's shell: login, the user's role, the page tabs (#/gateways …), the language switch.
// Each page is a module with `render(root, ctx)`; the shell re-renders it when the language changes.
import * as api from './api.js';
import { t, lang, setLang, applyStatic } from './i18n.js';
import { h, errorBox, show, busy } from './dom.js';
import dashboard from './dashboard.js';
import gateways from './gateways.js';
import bulletins from './bulletins.js';
import schedules from './schedules.js';
import calendar from './calendar.js';
import programs from './programs.js';
import announcements from './announcements.js';
import live from './live.js';
import playlog from './playlog.js';
import inbox from './inbox.js';
import dispatches from './dispatches.js';
import reports from './reports.js';
import admin from './admin.js';

const pages = { dashboard, gateways, bulletins, schedules, calendar, programs, inbox, dispatches, reports, announcements, live, playlog, admin };

// The console's names for what a button does, and the API action each needs. What a role may
// do comes from GET /api/v1/me (`actions`), the API's own table: the console only hides or
// disables what the user cannot do; the API's 403 stays the real guard and is shown when it comes.
const actionFor = {
  'gateway.command': 'commandGateways',
  'gateway.add': 'manageGateways',
  'area.add': 'manageAreas',
  'bulletin.upload': 'uploadBulletins',
  'bulletin.approve': 'reviewBulletins',
  'schedule.edit': 'schedule',
  'announce': 'announce',
};

const state = { me: null, page: null, disposers: [], renders: 0 };

const $ = (id) => document.getElementById(id);

function can(action) {
  return Boolean(state.me && (state.me.actions || []).includes(actionFor[action]));
}

// A named priority band from /me (`background` … `emergency`): { name, min, max, default }.
function band(name) {
  return ((state.me && state.me.priorityBands) || []).find((b) => b.name === name) || { name, min: 0, max: 255, default: 0 };
}

function defaultPage() {
  return state.me && state.me.role === 'broadcaster' ? 'bulletins' : 'gateways';
}

function dispose() {
  for (const fn of state.disposers.splice(0)) {
    try { fn(); } catch { /* a page's cleanup must not block the next page */ }
  }
}

function context(params, ticket) {
  return {
    me: state.me,
    can,
    band,
    params,
    // A page superseded while it loaded is cleaned up at once (its timers must not live on).
    onDispose: (fn) => (ticket === state.renders ? state.disposers.push(fn) : fn()),
    navigate: (page, query) => {
      const search = query ? '?' + new URLSearchParams(query).toString() : '';
      location.hash = `#/${page}${search}`;
    },
  };
}

function parseHash() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  const name = pages[path] ? path : defaultPage();
  return { name, params: Object.fromEntries(new URLSearchParams(search || '')) };
}

async function renderPage() {
  if (!state.me) return;
  dispose();
  const { name, params } = parseHash();
  state.page = name;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.page === name);
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const root = $('page');
  const ticket = ++state.renders;
  root.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
  root.dataset.page = '';
  document.title = `${t('nav.' + name)} · Loa`;
  // The page is built off-screen and swapped in when its data is there; a newer navigation
  // meanwhile wins (its ticket is higher) and this one's result is dropped.
  const fresh = document.createElement('div');
  try {
    await pages[name].render(fresh, context(params, ticket));
  } catch (error) {
    fresh.append(errorBox(error));
  }
  if (ticket !== state.renders) return;
  root.replaceChildren(...fresh.childNodes);
  root.dataset.page = name;
}

function showLogin(error) {
  dispose();
  state.me = null;
  $('app').hidden = true;
  $('login').hidden = false;
  $('user-box').hidden = true;
  show($('login-message'), error ? errorBox(error) : null);
  $('login-username').focus();
}

function showApp() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('user-box').hidden = false;
  $('user-name').textContent = state.me.username;
  $('user-role').textContent = t('role.' + state.me.role);
  // Administration only for a role with something to administer (the API's 403 stays the guard).
  const administers = ['manageUsers', 'manageAreas', 'manageGateways', 'readAudit'].some((a) => (state.me.actions || []).includes(a));
  document.querySelector('#nav a[data-page="admin"]').hidden = !administers;
  renderPage();
}

async function onLogin(event) {
  event.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  show($('login-message'), null);
  await busy($('login-submit'), async () => {
    try {
      const answer = await api.post('/login', { username, password });
      api.setToken(answer.token);
      // /me, not the login's user: it carries the role's actions and the priority bands.
      state.me = await api.get('/me');
      $('login-password').value = '';
      showApp();
    } catch (error) {
      show($('login-message'), errorBox(error));
    }
  });
}

async function onLogout() {
  try { await api.post('/logout'); } catch { /* the token is dropped either way */ }
  api.setToken(null);
  // The next person to log in starts on their role's page, not on the last one's.
  history.replaceState(null, '', location.pathname);
  showLogin();
}

function onLanguage() {
  setLang(lang() === 'vi' ? 'en' : 'vi');
  applyStatic(document);
  if (state.me) {
    $('user-role').textContent = t('role.' + state.me.role);
    renderPage();
  }
}

async function start() {
  applyStatic(document);
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  $('lang-switch').addEventListener('click', onLanguage);
  window.addEventListener('hashchange', renderPage);
  api.setUnauthorizedHandler((error) => { api.setToken(null); showLogin(error); });
  if (!api.token()) return showLogin();
  try {
    state.me = await api.get('/me');
    showApp();
  } catch (error) {
    api.setToken(null);
    showLogin(error.status === 401 ? null : error);
  }
}

start();
