/**
 * What the subscription and team sides need from the key side: when a subject (user or
 * group) loses access to a model (cancelled, denied, expired, or no longer allowed for
 * its team), its keys lose it too, in every state LiteLLM still holds them. A key left
 * with no model is blocked in LiteLLM, never sent an empty model list (an empty list
 * means "all models" to LiteLLM).
 */
export interface KeyModelRevoker {
  /** Takes the model out of the subject's keys, and anything else it may no longer use. */
  removeModelFromSubjectKeys(input: {
    subjectRef: string;
    modelId: string;
    actorRef: string;
    reason: string;
  }): Promise<KeyAccessChanges>;
  /**
   * Takes the model out of every key of these subjects, all or nothing: when LiteLLM
   * fails on one key, the keys already changed get their models (and status) back, and
   * the error (503) is thrown, so the caller can undo its own change.
   */
  removeModelFromKeysOf(input: {
    subjectRefs: readonly string[];
    modelId: string;
    actorRef: string;
    reason: string;
  }): Promise<KeyAccessChanges>;
  /**
   * Puts every key of a group LiteLLM still holds into its new LiteLLM team, so the
   * team's budget and limits apply to keys minted before the group became a team.
   */
  attachSubjectKeysToTeam(input: {
    subjectRef: string;
    teamId: string;
  }): Promise<{ attachedKeyIds: string[] }>;
  /** Brings every key of the subject within what it may use now. */
  enforceSubjectAccess(input: {
    subjectRef: string;
    actorRef: string;
    reason: string;
  }): Promise<KeyAccessChanges>;
}

/** The keys a withdrawal narrowed, and those it blocked (left with no model). */
export interface KeyAccessChanges {
  updatedKeyIds: string[];
  blockedKeyIds: string[];
}
