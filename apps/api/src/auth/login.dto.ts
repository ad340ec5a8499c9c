import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { UserView } from '../users/user.view';

export class LoginRequest {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  username!: string;

  @ApiProperty({ example: 'Admin@2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class LoginResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ example: '12h' }) expiresIn!: string;
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({
    description:
      'true: the password was set by someone else; every route but POST /auth/password and ' +
      'GET /auth/me answers 403 PASSWORD_CHANGE_REQUIRED until the user sets their own',
  })
  mustChangePassword!: boolean;
}
