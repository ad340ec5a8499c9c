// How the header names the signed-in user: 张三（县总工会管理员）, or the role alone when the
// account's display name is the role itself (the first admin is called 县总工会管理员).
export function userTitle(displayName: string | undefined, roleLabel: string): string {
  const name = displayName?.trim() ?? '';
  if (name === '' || name === roleLabel) return roleLabel;
  return roleLabel === '' ? name : `${name}（${roleLabel}）`;
}
