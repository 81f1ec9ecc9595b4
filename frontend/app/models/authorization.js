import { Model, attr } from '@warp-drive/legacy/model';

/**
 * An app the user has allowed through the authorization-code flow (its id is
 * the app's client_id). destroyRecord() is DELETE /api/authorizations/<id>:
 * it withdraws the consent and ends that app's tokens.
 */
export default class AuthorizationModel extends Model {
  @attr clientId;
  @attr clientName;
  @attr scopes;
  @attr grantedAt;
}
