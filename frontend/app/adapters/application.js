import { JSONAPIAdapter } from '@warp-drive/legacy/adapter/json-api';
import { service } from '@ember/service';
import config from 'frontend/config/environment';

/**
 * Every API request goes through this adapter (WarpDrive's legacy request
 * path, see app/services/store.js), so this is the one place that
 *
 * - adds `Authorization: Bearer <access token>` from the ember-simple-auth
 *   session (the getter is read per request, so refreshed tokens are used), and
 * - turns a 401 from the API into a session invalidation, which sends the user
 *   back to the login page.
 */
export default class ApplicationAdapter extends JSONAPIAdapter {
  @service session;

  host = config.apiHost;
  namespace = 'api';

  get headers() {
    const token = this.session.data?.authenticated?.access_token;
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  // Django REST framework answers validation errors with 400 and a JSON:API
  // errors document whose `source.pointer`s name the fields; treat those like
  // 422 so that save() rejects with an InvalidError carrying the errors.
  isInvalid(status, headers, payload) {
    if (status === 422) {
      return true;
    }
    return (
      status === 400 &&
      Array.isArray(payload?.errors) &&
      payload.errors.some((error) => error?.source?.pointer)
    );
  }

  handleResponse(status, headers, payload, requestData) {
    if (status === 401 && this.session.isAuthenticated) {
      // The token was revoked, expired without a refresh, or the account was
      // disabled: end the session (ESA then returns to the login page).
      this.session.endExpiredSession();
    }
    return super.handleResponse(status, headers, payload, requestData);
  }
}
