import { USERNAME_PATTERN } from '@charity/accounts';
import { PageQuery, ROLES, type Role } from '@charity/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsId, QueryId } from '../http/number-fields';
import { BooleanFromText, IsOptionalNotNull, Trim } from '../http/validation';
import { IsNewPassword } from './password-rules';

export class CreateUserRequest {
  @ApiProperty({ example: 'qs01_clerk2' })
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-40 letters, digits, _ . or -' })
  username!: string;

  @ApiProperty({ example: '孙店员' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  @Trim()
  displayName!: string;

  @ApiProperty({
    example: 'Clerk@2027',
    description: 'the new user must replace it with their own at first login',
  })
  @IsNewPassword()
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'required for store roles' })
  @IsOptional()
  @IsId()
  storeId?: number | null;
}

export class UpdateUserRequest {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  @Trim()
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @ValidateIf((_object, value) => value !== null)
  @IsOptional()
  @IsId()
  storeId?: number | null;

  @ApiPropertyOptional({ description: 'false disables the account at once' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    description: 'reset the password: old tokens stop, and the user must change it at next login',
  })
  @IsOptionalNotNull()
  @IsNewPassword()
  password?: string;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryId()
  storeId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanFromText()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'part of the username or display name' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  search?: string;
}
