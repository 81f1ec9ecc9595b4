import EmberRouter from '@embroider/router';
import config from 'frontend/config/environment';

export default class Router extends EmberRouter {
  location = config.locationType;
  rootURL = config.rootURL;
}

Router.map(function () {
  this.route('login');
  // Where an identity provider sends the browser back (one URL per provider).
  this.route('social-callback', { path: '/login/:provider/callback' });
  this.route('users');
  this.route('profile');
  this.route('security');
  this.route('not-found', { path: '/*path' });
});
