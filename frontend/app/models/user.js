import { Model, attr } from '@warp-drive/legacy/model';

// JSON:API `users` resource with dasherized attributes
// (first-name, last-name, date-joined), mapped by the JSONAPISerializer.
// Attributes are untyped (no transforms): `dateJoined` stays the ISO string the
// server sends and is formatted for display in the templates.
export default class UserModel extends Model {
  @attr email;
  @attr firstName;
  @attr lastName;
  @attr dateJoined;

  get fullName() {
    return [this.firstName, this.lastName].filter(Boolean).join(' ');
  }
}
