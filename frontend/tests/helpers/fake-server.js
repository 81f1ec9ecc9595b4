import { click, fillIn } from '@ember/test-helpers';
import { buildWaiter } from '@ember/test-waiters';

/**
 * A tiny stand-in for the Django server: replaces `window.fetch` for the
 * duration of a test. Both ember-simple-auth (token, revoke) and WarpDrive's
 * JSONAPIAdapter call the global fetch at request time, so this sees every
 * request the app makes.
 *
 *   const server = setupFakeServer(hooks);
 *   server.post('/oauth/token', () => json(200, { access_token: 'a' }));
 *   server.get('/api/me', (request) => json(200, { data: … }));
 *
 * A handler gets `{ method, url, path, query, headers, body, form, json }` and
 * returns a Response (see `json()`), or a promise of one, or throws to
 * simulate a network failure (`networkError()`). Unhandled requests answer 404
 * and are listed in `server.unhandled`. Every request is recorded in
 * `server.requests`. Pending requests are tracked by a test waiter, so
 * `await settled()` (and every test helper) waits for them.
 *
 * One route is there by default: `GET /oauth/social` (the login page asks for
 * the sign-in providers) answers `{"providers": []}`, a server without Google
 * keys; `serveProviders(server)` offers Google instead.
 */
const waiter = buildWaiter('authsite:fake-server');

export function json(status, body, headers = {}) {
  const contentType =
    typeof body === 'object' && body && ('data' in body || 'errors' in body)
      ? 'application/vnd.api+json'
      : 'application/json';
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': contentType, ...headers },
  });
}

export function networkError() {
  throw new TypeError('Failed to fetch');
}

/** A promise with its resolve function, to hold a response back. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function headersToObject(headers) {
  const result = {};
  new Headers(headers || {}).forEach((value, key) => {
    result[key] = value;
  });
  return result;
}

class FakeServer {
  handlers = [];
  requests = [];
  unhandled = [];

  get(path, handler) {
    return this.on('GET', path, handler);
  }

  post(path, handler) {
    return this.on('POST', path, handler);
  }

  patch(path, handler) {
    return this.on('PATCH', path, handler);
  }

  delete(path, handler) {
    return this.on('DELETE', path, handler);
  }

  on(method, path, handler) {
    // Later registrations win, so a test can override a default route.
    this.handlers.unshift({ method, path, handler });
    return this;
  }

  requestsTo(method, path) {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  /** The revocation requests, as sorted `[token_type_hint, token, client_id]` triples. */
  revocations() {
    return this.requestsTo('POST', '/oauth/revoke')
      .map((r) => [
        r.form.get('token_type_hint'),
        r.form.get('token'),
        r.form.get('client_id'),
      ])
      .sort();
  }

  async handle(input, init = {}) {
    const url = new URL(
      typeof input === 'string' ? input : input.url,
      window.location.href,
    );
    const method = (init.method || 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? init.body : null;
    const request = {
      method,
      url: url.href,
      path: url.pathname,
      query: url.searchParams,
      headers: headersToObject(init.headers),
      body,
      form: body ? new URLSearchParams(body) : null,
      json: null,
    };
    try {
      request.json = body ? JSON.parse(body) : null;
    } catch {
      // form-encoded
    }
    this.requests.push(request);
    const match = this.handlers.find(
      (h) => h.method === method && h.path === request.path,
    );
    if (!match) {
      this.unhandled.push(`${method} ${url.pathname}${url.search}`);
      return json(404, { errors: [{ status: '404', detail: 'Not found.' }] });
    }
    return await match.handler(request);
  }
}

export function setupFakeServer(hooks) {
  const server = new FakeServer();
  let originalFetch;

  hooks.beforeEach(function () {
    server.handlers = [];
    server.requests = [];
    server.unhandled = [];
    server.get('/oauth/social', () => json(200, { providers: [] }));
    originalFetch = window.fetch;
    window.fetch = async (input, init) => {
      const token = waiter.beginAsync();
      try {
        return await server.handle(input, init);
      } finally {
        waiter.endAsync(token);
      }
    };
  });

  hooks.afterEach(function (assert) {
    window.fetch = originalFetch;
    assert.deepEqual(server.unhandled, [], 'every request was expected');
  });

  return server;
}

// ---- JSON:API documents like the Django API's ----------------------------

export function userResource(id, attributes = {}) {
  return {
    type: 'users',
    id: String(id),
    attributes: {
      email: `user${id}@example.com`,
      'first-name': `First${id}`,
      'last-name': `Last${id}`,
      'date-joined': '2026-01-15T10:00:00Z',
      ...attributes,
    },
    links: { self: `/api/users/${id}` },
  };
}

export function meDocument(attributes = {}, id = 1) {
  return { data: userResource(id, attributes) };
}

export function usersPage({ page, pages, count, ids }) {
  return {
    links: {
      first: '/api/users?page%5Bnumber%5D=1',
      last: `/api/users?page%5Bnumber%5D=${pages}`,
      next: page < pages ? `/api/users?page%5Bnumber%5D=${page + 1}` : null,
      prev: page > 1 ? `/api/users?page%5Bnumber%5D=${page - 1}` : null,
    },
    data: ids.map((id) => userResource(id)),
    meta: { pagination: { page, pages, count } },
  };
}

// ---- The security page's resources (/work/security-contract.md) ----------

export function sessionResource(id, attributes = {}) {
  return {
    type: 'sessions',
    id: String(id),
    attributes: {
      'client-id': 'ember-app',
      'client-name': 'Ember app',
      'signed-in-at': '2026-11-20T08:00:00Z',
      'last-active-at': '2026-11-27T09:30:00Z',
      ip: '203.0.113.7',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Firefox/128.0',
      browser: 'Firefox 128',
      os: 'Linux',
      current: false,
      ...attributes,
    },
  };
}

export function authorizationResource(clientId, attributes = {}) {
  return {
    type: 'authorizations',
    id: clientId,
    attributes: {
      'client-id': clientId,
      'client-name': 'Photo printer',
      scopes: ['read'],
      'granted-at': '2026-10-01T12:00:00Z',
      ...attributes,
    },
  };
}

export function passwordMethod(attributes = {}) {
  return {
    type: 'sign-in-methods',
    id: 'password',
    attributes: {
      kind: 'password',
      provider: null,
      label: 'Password',
      'linked-at': null,
      removable: false,
      'password-set': true,
      ...attributes,
    },
  };
}

export function googleMethod(attributes = {}) {
  return {
    type: 'sign-in-methods',
    id: 'google-oauth2',
    attributes: {
      kind: 'provider',
      provider: 'google-oauth2',
      label: 'Google (ada@gmail.com)',
      'linked-at': '2026-09-01T10:00:00Z',
      removable: true,
      ...attributes,
    },
  };
}

export function eventResource(id, attributes = {}) {
  return {
    type: 'events',
    id: String(id),
    attributes: {
      kind: 'signed_in',
      time: '2026-11-27T09:00:00Z',
      ip: '203.0.113.7',
      'user-agent': 'Mozilla/5.0',
      browser: 'Firefox 128',
      os: 'Linux',
      'client-name': null,
      detail: null,
      ...attributes,
    },
  };
}

export function eventsPage({ page = 1, pages = 1, count, events }) {
  const link = (n) => `/api/events?page%5Bnumber%5D=${n}`;
  return {
    links: {
      first: link(1),
      last: link(pages),
      next: page < pages ? link(page + 1) : null,
      prev: page > 1 ? link(page - 1) : null,
    },
    data: events,
    meta: { pagination: { page, pages, count: count ?? events.length } },
  };
}

/**
 * Serves the security page's lists (each a function returning its resources,
 * so a test can change what the server has) and one page of events.
 */
export function serveSecurity(
  server,
  {
    sessions = () => [
      sessionResource('family-1', { current: true }),
      sessionResource('family-2', {
        browser: 'Safari 18',
        os: 'iOS 18',
        ip: '198.51.100.4',
      }),
    ],
    authorizations = () => [authorizationResource('photo-printer')],
    methods = () => [passwordMethod(), googleMethod()],
    events = () => eventsPage({ events: [eventResource(1)] }),
  } = {},
) {
  server.get('/api/sessions', () => json(200, { data: sessions() }));
  server.get('/api/authorizations', () =>
    json(200, { data: authorizations() }),
  );
  server.get('/api/sign-in-methods', () => json(200, { data: methods() }));
  server.get('/api/events', (request) => json(200, events(request)));
}

export function tokenResponse(overrides = {}) {
  return {
    access_token: 'access-1',
    expires_in: 3600,
    token_type: 'Bearer',
    scope: 'read write',
    refresh_token: 'refresh-1',
    ...overrides,
  };
}

/** Google as GET /oauth/social describes it when the server has its keys. */
export const GOOGLE = Object.freeze({
  name: 'google-oauth2',
  title: 'Google',
  authorization_endpoint: 'https://accounts.google.com/o/oauth2/auth',
  client_id: '1234.apps.googleusercontent.com',
  scope: 'openid email profile',
});

/** GET /oauth/social lists these providers (Google by default). */
export function serveProviders(server, providers = [GOOGLE]) {
  server.get('/oauth/social', () => json(200, { providers }));
}

/**
 * Ada, who is not staff: /api/me is her and /api/users lists only her.
 * Returns her `/api/me` document.
 */
export function serveAda(server) {
  const ada = meDocument({ email: 'ada@example.com' });
  server.get('/api/me', () => json(200, ada));
  server.get('/api/users', () =>
    json(200, {
      ...usersPage({ page: 1, pages: 1, count: 1, ids: [] }),
      data: [ada.data],
    }),
  );
  return ada;
}

/** Fills in and submits the login form. */
export async function signIn(email = 'ada@example.com', password = 'secret') {
  await fillIn('[data-test-email]', email);
  await fillIn('[data-test-password]', password);
  await click('[data-test-login-submit]');
}
