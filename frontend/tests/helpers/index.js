import {
  setupApplicationTest as upstreamSetupApplicationTest,
  setupRenderingTest as upstreamSetupRenderingTest,
  setupTest as upstreamSetupTest,
} from 'ember-qunit';
import BrowserLocationService from 'frontend/services/browser-location';
import { PENDING_KEY } from 'frontend/services/social-sign-in';

/**
 * Records the URLs the app would send the whole page to (an identity
 * provider's authorization page) instead of leaving the test page.
 */
export class RecordingBrowserLocation extends BrowserLocationService {
  assigned = [];

  assign(url) {
    this.assigned.push(url);
  }
}

// Wrappers around ember-qunit's setup functions, the one place to add setup
// every test of a kind needs. The API is stubbed per module with
// tests/helpers/fake-server.js; sessions come from ember-simple-auth's
// test-support (`authenticateSession`) or from signing in through the UI.

function setupApplicationTest(hooks, options) {
  upstreamSetupApplicationTest(hooks, options);

  // The "session has ended" note and a started Google sign-in live in the
  // browser's sessionStorage, which outlives a test; start every test without.
  hooks.beforeEach(function () {
    window.sessionStorage.removeItem('authsite-session-expired');
    window.sessionStorage.removeItem(PENDING_KEY);
    this.owner.register('service:browser-location', RecordingBrowserLocation);
  });
  hooks.afterEach(function () {
    window.sessionStorage.removeItem(PENDING_KEY);
  });
}

function setupRenderingTest(hooks, options) {
  upstreamSetupRenderingTest(hooks, options);
}

function setupTest(hooks, options) {
  upstreamSetupTest(hooks, options);
}

export { setupApplicationTest, setupRenderingTest, setupTest };
