import ApplicationSerializer from './application';

export default class UserSerializer extends ApplicationSerializer {
  // PATCH /api/me only accepts the names; the rest is read-only on the server.
  attrs = {
    email: { serialize: false },
    dateJoined: { serialize: false },
  };
}
