import {
  PASSWORD_ORIGINS,
  passwordChangeRequired,
  type PasswordOrigin,
  type User,
} from '@charity/accounts';
import { ROLES, type Role } from '@charity/common';
import type { AppConfig } from '@charity/config';
import { ApiProperty } from '@nestjs/swagger';

export class UserView {
  @ApiProperty() id!: number;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: Number, nullable: true }) storeId!: number | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({
    enum: PASSWORD_ORIGINS,
    description:
      'who set the current password: demo (the demo county), bootstrap (ADMIN_PASSWORD), ' +
      'admin (creation or reset), self',
  })
  passwordOrigin!: PasswordOrigin;
  @ApiProperty({
    description:
      'the user must set their own password (POST /auth/password) before any other route ' +
      'answers; demo accounts are let through outside production',
  })
  mustChangePassword!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static of(user: User, config: Pick<AppConfig, 'nodeEnv'>): UserView {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      storeId: user.storeId,
      active: user.active,
      passwordOrigin: user.passwordOrigin,
      mustChangePassword: passwordChangeRequired(user, config.nodeEnv),
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    };
  }
}
