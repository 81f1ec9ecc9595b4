import Controller from '@ember/controller';
import { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';

/**
 * The security page's lists (see app/routes/security.js) and the reloads its
 * components ask for after a change on the server.
 */
export default class SecurityController extends Controller {
  @service store;

  queryParams = ['page'];

  @tracked page = 1;
  @tracked sessions = [];
  @tracked authorizations = [];
  @tracked signInMethods = [];
  @tracked events = [];
  @tracked isPaging = false;

  /** Takes the lists a model hook loaded (paging loads only `events`). */
  show({ sessions, authorizations, signInMethods, events }) {
    if (sessions) {
      this.sessions = sessions;
      this.authorizations = authorizations;
      this.signInMethods = signInMethods;
    }
    this.events = events;
  }

  /** Whether the account has a password: the form asks for the current one only then. */
  get passwordSet() {
    const password = this.signInMethods.find((method) => method.isPassword);
    return password ? Boolean(password.passwordSet) : true;
  }

  // After "Sign out everywhere else" or a password change the server has
  // ended other sessions; the list shows what is left.
  reloadSessions = async () => {
    this.sessions = await this.store.query('session', {});
  };

  // After unlinking or setting a password, which methods are removable changes.
  reloadSignInMethods = async () => {
    this.signInMethods = await this.store.query('sign-in-method', {});
  };

  // A changed password ends the other sessions; a new one is a sign-in method.
  afterPasswordChange = async () => {
    await Promise.all([this.reloadSessions(), this.reloadSignInMethods()]);
  };
}
