'use strict';

// Evaluated in Node at build time (by @embroider/compat when `vite build` or
// `vite` runs ember-cli-build.mjs); the result is serialized into a <meta> tag
// in index.html and read back at run time by app/config/environment.js.
// So `process.env` here is the environment of the build, not of the browser.

function apiHost() {
  // '' means "same origin": Django serves the built app and the API together.
  // For `npm start` against a separate Django dev server use
  // API_HOST=http://127.0.0.1:8000 npm start
  return (process.env.API_HOST || '').trim().replace(/\/+$/, '');
}

module.exports = function (environment) {
  const ENV = {
    modulePrefix: 'frontend',
    environment,
    rootURL: '/',
    locationType: 'history',
    EmberENV: {
      EXTEND_PROTOTYPES: false,
      FEATURES: {},
    },

    APP: {},

    // Where the Django OAuth2 provider and JSON:API live ('' = same origin).
    apiHost: apiHost(),
    // The public OAuth2 client registered with
    // `manage.py createclient "Ember app" --client-id ember-app --public --grant-type password`.
    oauthClientId: (process.env.OAUTH_CLIENT_ID || 'ember-app').trim(),

    // How many users the users page asks for per page (the API's default page
    // size; it allows up to 100).
    usersPageSize: 25,
    // Events per page of the security page's recent activity (the API's default).
    eventsPageSize: 25,

    // ember-simple-auth 8.4+: no resolver lookups. The session service
    // (app/services/session.js) builds its store and authenticators itself.
    'ember-simple-auth': {
      useResolver: false,
    },
  };

  if (environment === 'test') {
    ENV.locationType = 'none';
    ENV.APP.LOG_ACTIVE_GENERATION = false;
    ENV.APP.LOG_VIEW_LOOKUPS = false;
    ENV.APP.rootElement = '#ember-testing';
    ENV.APP.autoboot = false;
    // Tests stub fetch on same-origin paths, whatever the build environment says.
    ENV.apiHost = '';
    ENV.oauthClientId = 'ember-app';
  }

  return ENV;
};
