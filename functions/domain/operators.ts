export interface Operator {
  readonly operatorId: string;
  readonly name: string;
  readonly contactEmail: string;
  readonly createdAt: string;
}
