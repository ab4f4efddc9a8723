/**
 * A guard against malformed INTERACTION_CREATE packets: discord.js builds interaction objects
 * without checks, and a throw there would be an unhandled rejection.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const SNOWFLAKE = /^\d{1,20}$/;
const BITFIELD = /^\d+$/;

/**
 * True when discord.js 14 can build an interaction from this INTERACTION_CREATE payload:
 * the fields its constructors read unconditionally are there and of the right kind.
 * Interaction types discord.js does not know are let through (it ignores them itself).
 */
export function isWellFormedInteraction(d: unknown): boolean {
  if (!isObject(d)) return false;
  if (typeof d.id !== 'string' || !SNOWFLAKE.test(d.id) || typeof d.token !== 'string' || typeof d.type !== 'number') return false;
  const member = d.member;
  if (member !== undefined && member !== null) {
    if (!isObject(member)) return false;
    if (member.permissions !== undefined && (typeof member.permissions !== 'string' || !BITFIELD.test(member.permissions))) return false;
  }
  const user = d.user ?? (isObject(member) ? member.user : undefined);
  if (!isObject(user) || typeof user.id !== 'string' || !SNOWFLAKE.test(user.id)) return false;
  if (!Array.isArray(d.entitlements) || !isObject(d.authorizing_integration_owners)) return false;
  if (d.app_permissions !== undefined && (typeof d.app_permissions !== 'string' || !BITFIELD.test(d.app_permissions))) return false;
  if (d.channel !== undefined && d.channel !== null && (!isObject(d.channel) || typeof d.channel.id !== 'string')) return false;
  const data = d.data;
  switch (d.type) {
    case 2: // application command
    case 4: // autocomplete
      return isObject(data) && typeof data.name === 'string' && typeof data.type === 'number' && (data.options === undefined || Array.isArray(data.options));
    case 3: // message component
      return (
        isObject(data) &&
        typeof data.custom_id === 'string' &&
        typeof data.component_type === 'number' &&
        isObject(d.message) &&
        typeof d.message.id === 'string' &&
        SNOWFLAKE.test(d.message.id)
      );
    case 5: // modal submit
      return isObject(data) && typeof data.custom_id === 'string';
    default:
      return true;
  }
}
