// Invite links live only in this tab's sessionStorage: the server keeps a
// hash of each token, so a link can be shown once, right after it is made.

const key = (interviewId) => `ace.invites.${interviewId}`;

/** loadInvites returns {candidateId: inviteURL} for an interview. */
export function loadInvites(interviewId) {
  try {
    return JSON.parse(sessionStorage.getItem(key(interviewId)) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

/** saveInvites merges candidates' invite_url (from an API answer) into the store. */
export function saveInvites(interviewId, candidates) {
  const all = loadInvites(interviewId);
  for (const c of candidates) all[c.id] = c.invite_url;
  try {
    sessionStorage.setItem(key(interviewId), JSON.stringify(all));
  } catch {
    // storage full or disabled: the links are shown on this page only
  }
}

/** forgetInvite drops a candidate's link (after a revoke). */
export function forgetInvite(interviewId, candidateId) {
  const all = loadInvites(interviewId);
  delete all[candidateId];
  try {
    sessionStorage.setItem(key(interviewId), JSON.stringify(all));
  } catch {
    // ignore
  }
}
