/** Wiring for the admin's user list: DynamoDB only. */
import { userDirectory } from '../dynamodb/repositories';

export const userDirectoryDeps = { directory: userDirectory };
