import { Model, attr } from '@warp-drive/legacy/model';

/**
 * A way to sign in: the password (id "password", kind "password") or a linked
 * account at a provider (id and `provider` "google-oauth2", kind "provider").
 * destroyRecord() is DELETE /api/sign-in-methods/<provider> (unlink); the
 * server refuses it with 409 when no other way to sign in would remain, which
 * `removable` announces.
 */
export default class SignInMethodModel extends Model {
  @attr kind;
  @attr provider;
  @attr label;
  @attr linkedAt;
  @attr removable;
  @attr passwordSet;

  get isPassword() {
    return this.kind === 'password';
  }
}
