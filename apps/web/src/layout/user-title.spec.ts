import { userTitle } from './user-title';

describe('userTitle', () => {
  it('names the user once with their role', () => {
    expect(userTitle('张三', '县总工会管理员')).toBe('张三（县总工会管理员）');
    expect(userTitle('李四', '店员')).toBe('李四（店员）');
  });

  it('shows the role alone when the name is the role or missing', () => {
    expect(userTitle('县总工会管理员', '县总工会管理员')).toBe('县总工会管理员');
    expect(userTitle(' 县总工会管理员 ', '县总工会管理员')).toBe('县总工会管理员');
    expect(userTitle('', '审计')).toBe('审计');
    expect(userTitle(undefined, '审计')).toBe('审计');
  });
});
