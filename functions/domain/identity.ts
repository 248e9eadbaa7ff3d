/** Who is calling, as established by the authorizer from a verified token. */
export const ROLES = ['tenant', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACCOUNT_TYPES = ['individual', 'corporate'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export interface Principal {
  readonly userId: string;
  readonly role: Role;
  /** Set for operators: the car park company they act for. */
  readonly operatorId?: string;
}

export const isAdmin = (p: Principal): boolean => p.role === 'admin';

/** Self or admin: who may read or change a user account. */
export const canActOnUser = (p: Principal, userId: string): boolean => isAdmin(p) || p.userId === userId;

/** An operator's own staff, or an admin: who may see and run an operator's car parks. */
export const canManageOperator = (p: Principal, operatorId: string): boolean =>
  isAdmin(p) || (p.role === 'operator' && p.operatorId === operatorId);
