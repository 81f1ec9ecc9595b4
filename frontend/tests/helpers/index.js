import {
  setupApplicationTest as upstreamSetupApplicationTest,
  setupRenderingTest as upstreamSetupRenderingTest,
  setupTest as upstreamSetupTest,
} from 'ember-qunit';

// Wrappers around ember-qunit's setup functions, the one place to add setup
// every test of a kind needs. The API is stubbed per module with
// tests/helpers/fake-server.js; sessions come from ember-simple-auth's
// test-support (`authenticateSession`) or from signing in through the UI.

function setupApplicationTest(hooks, options) {
  upstreamSetupApplicationTest(hooks, options);

  // The "session has ended" note lives in the browser's sessionStorage, which
  // outlives a test; start every test without one.
  hooks.beforeEach(function () {
    window.sessionStorage.removeItem('authsite-session-expired');
  });
}

function setupRenderingTest(hooks, options) {
  upstreamSetupRenderingTest(hooks, options);
}

function setupTest(hooks, options) {
  upstreamSetupTest(hooks, options);
}

export { setupApplicationTest, setupRenderingTest, setupTest };
