import { Model, attr } from '@warp-drive/legacy/model';

/**
 * One entry of the user's own audit trail (GET /api/events, the last 90 days,
 * newest first, paginated). `kind` is the server's code (e.g. "signed_in");
 * app/utils/activity.js turns it into a sentence. Read-only.
 */
export default class EventModel extends Model {
  @attr kind;
  @attr time;
  @attr ip;
  @attr userAgent;
  @attr browser;
  @attr os;
  @attr clientName;
  @attr detail;
}
