/**
 * Who is making a change. The domain records it in the audit trail; it never decides
 * what an actor may do (that is the API's job).
 */
export interface Actor {
  /** The person behind the change, when there is one. */
  personId: number | null;
  /** A readable label: the person's name, `token:<name>`, `cli`, `demo-generator`. */
  label: string;
  /** The request that carried the change, for correlating logs and audit records. */
  requestId?: string | null;
}

export function systemActor(label: string): Actor {
  return { personId: null, label, requestId: null };
}
