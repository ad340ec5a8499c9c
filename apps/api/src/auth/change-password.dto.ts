import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsNewPassword } from '../users/password-rules';

export class ChangePasswordRequest {
  @ApiProperty({ example: 'Admin@2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({
    example: 'Qingshan-2027',
    description: '8-72 characters with a letter and a digit, different from the current one',
  })
  @IsNewPassword()
  newPassword!: string;
}
