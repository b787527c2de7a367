export const settings = {
  auditPrefix: process.env.AUDIT_PREFIX ?? '/audit',
}
