import type { UserRow } from './schema.js';

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  tenantId: string;
  email: string;
  mobile: string | null;
  name: string;
  staffNo: string;
  role: UserRow['role'];
  status: UserRow['status'];
  createdAt: string;
  updatedAt: string;
}

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    tenantId: u.tenantId,
    email: u.email,
    mobile: u.mobile,
    name: u.name,
    staffNo: u.staffNo,
    role: u.role,
    status: u.status,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
