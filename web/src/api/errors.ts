import { formatTime } from '../format';
import { ApiError } from './client';

/**
 * What to tell a person for each of the API's error codes (docs/errors.md). The API's own message
 * is a fallback for codes this list does not know yet; it never holds personal data either.
 */
const MESSAGES: Record<string, string> = {
  network_error: 'Haven could not be reached. Check your connection and try again.',
  malformed_json: 'The request could not be read. Reload the page and try again.',
  invalid_utf8: 'Some text could not be read. Remove unusual characters and try again.',
  invalid_text: 'Some text holds characters that cannot be stored. Remove them and try again.',
  missing_field: 'This is required.',
  unknown_field: 'This field is not accepted.',
  invalid_type: 'This value has the wrong type.',
  invalid_format: 'This is not in the expected format.',
  invalid_value: 'This is not one of the accepted values.',
  too_long: 'This is too long.',
  too_short: 'This is too short.',
  out_of_range: 'This is outside the accepted range.',
  invalid_request: 'The request is not valid.',
  invalid_email: 'This is not a valid email address.',
  invalid_phone: 'This is not a valid phone number. Use the international format, e.g. +44 20 7946 0958.',
  invalid_identity: 'An id must be 1 to 200 characters.',
  too_many_properties: 'A person can have at most 100 properties.',
  invalid_property_name: 'A property name must be 1 to 64 characters.',
  property_too_large: 'This value is too large (at most 2 KiB as JSON).',
  property_too_deep: 'This value nests too deeply (at most 4 levels).',
  query_too_short: 'Type at least two letters to search by name.',
  invalid_cursor: 'This page is no longer available. Go back to the first page.',
  invalid_detector: 'This detector is not valid, or its pattern cannot be used (RE2 syntax: no backreferences or lookaround; it must match at least one character).',
  unauthenticated: 'Please sign in.',
  session_expired: 'Your session has ended. Please sign in again.',
  invalid_credentials: 'Wrong email or password.',
  wrong_password: 'That is not your password.',
  invalid_api_key: 'This API key is not valid or was revoked.',
  forbidden: 'Your role in this team does not allow this.',
  insufficient_scope: 'This API key is not scoped for this.',
  no_active_team: 'You are not in this team any more. Choose another team.',
  csrf_failed: 'Your session could not be confirmed. Reload the page and try again.',
  cross_origin: 'This request came from another site and was refused.',
  not_found: 'Not found. It may have been deleted, or belong to another team.',
  invitation_invalid: 'This invitation is not valid: it was used, revoked or has expired. Ask for a new one.',
  invitation_for_another_email: 'This invitation was sent to another email address. Sign out, then open the link again and join as that address.',
  email_taken: 'An account with this email already exists. Sign in instead.',
  already_member: 'This person is already a member of the team.',
  last_owner: 'A team needs at least one owner. Make someone else owner first.',
  duplicate_identity: 'Another person in this team already has this email, phone or id.',
  already_erased: 'This person was already erased.',
  team_read_only: 'This team was cancelled and is read-only: nothing can be changed unless an owner undoes the cancellation.',
  suppressed: 'This person objected or unsubscribed; nothing about them is recorded.',
  consent_required: 'This person has not consented to the purpose your team requires before recording events.',
  invalid_purpose: 'A purpose is a short name: letters, digits, “.”, “_” or “-”, e.g. newsletter (at most 64).',
  invalid_time: 'This time cannot be right: a consent cannot be given in the future.',
  already_withdrawn: 'This consent was already withdrawn.',
  already_cancelled: 'This team is already cancelled.',
  not_cancelled: 'This team is not cancelled any more (or its deletion has begun).',
  recipient_suppressed: 'This person objected or unsubscribed: marketing email is not sent to them.',
  export_already_downloaded: 'This export was already downloaded: each link works once. Request a new export.',
  export_expired: 'This export link has expired. Request a new export.',
  payload_too_large: 'This is too large to send.',
  unsupported_media_type: 'The request could not be sent in the right format.',
  too_many_attempts: 'Too many failed sign-ins. Wait a few minutes and try again.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  internal_error: 'Something went wrong on Haven’s side. It has been logged; try again later.',
  not_ready: 'Haven is starting or its database is not reachable. Try again shortly.',
};

/** Codes whose API message says more than ours can (the limit, the reason, the deletion time). */
const PRECISE_FROM_API = new Set(['too_long', 'too_short', 'rate_limited', 'invalid_detector', 'last_owner']);

/** The API says when a cancelled team will be deleted (an ISO time); people read it in their own time zone. */
function readOnlyMessage(error: ApiError): string {
  const due = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/.exec(error.message)?.[0];
  const base = MESSAGES.team_read_only!;
  return due ? `${base} It will be deleted on ${formatTime(due)}.` : base;
}

/** The API's length limits, read as people would say them: “At least 1 characters.” is an empty field. */
function lengthMessage(error: ApiError): string {
  if (error.code === 'too_short' && /^At least 1 characters?\.$/.test(error.message)) return 'This cannot be empty.';
  return error.message.replace(/\b1 characters\b/, '1 character');
}

/** A sentence for any error thrown while talking to the API. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'team_read_only') return readOnlyMessage(error);
  if (error instanceof ApiError && (error.code === 'too_short' || error.code === 'too_long')) return lengthMessage(error);
  if (error instanceof ApiError) return (PRECISE_FROM_API.has(error.code) ? error.message : MESSAGES[error.code]) ?? error.message;
  return 'Something went wrong in the page. Reload it and try again.';
}

/** The input an error is about (`email`, `detectors.0.pattern`), when the API named one. */
export function errorField(error: unknown): string | undefined {
  return error instanceof ApiError ? error.field : undefined;
}
