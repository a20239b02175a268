/**
 * What the subscription side needs from the key side: when a subject (user or group)
 * loses access to a model (cancelled, denied, expired), the model leaves that subject's
 * keys. A key whose last model goes away is blocked in LiteLLM, never sent an empty model
 * list (an empty list means "all models" to LiteLLM).
 */
export interface KeyModelRevoker {
  removeModelFromSubjectKeys(input: {
    subjectRef: string;
    modelId: string;
    actorRef: string;
    reason: string;
  }): Promise<{ updatedKeyIds: string[]; blockedKeyIds: string[] }>;
}
