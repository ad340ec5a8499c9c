import { AuthService, type LoginResult } from '@charity/accounts';
import type { Actor } from '@charity/common';
import { AppConfig } from '@charity/config';
import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowedBeforePasswordChange, CurrentActor, Public } from '../http/decorators';
import { LoginThrottlerGuard } from '../http/login-throttler.guard';
import type { ApiRequest } from '../http/request';
import { UserView } from '../users/user.view';
import { ChangePasswordRequest } from './change-password.dto';
import { LoginRequest, LoginResponse } from './login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @ApiOperation({ summary: 'Sign in and get a bearer token' })
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @ApiOkResponse({ type: LoginResponse })
  async login(@Body() body: LoginRequest, @Req() request: ApiRequest): Promise<LoginResponse> {
    const result = await this.auth.login(body.username, body.password, {
      requestId: typeof request.id === 'string' ? request.id : undefined,
      ip: request.ip,
    });
    return this.view(result);
  }

  /**
   * The signed-in user sets their own password. Other sessions end; the answer is a new one
   * (the same shape as login's, with mustChangePassword false).
   */
  @ApiOperation({ summary: 'Change your own password' })
  @Post('password')
  @HttpCode(200)
  @AllowedBeforePasswordChange()
  @ApiBearerAuth()
  @ApiOkResponse({ type: LoginResponse })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() body: ChangePasswordRequest,
  ): Promise<LoginResponse> {
    return this.view(await this.auth.changePassword(actor, body.currentPassword, body.newPassword));
  }

  /** Answers while a password change is pending too, so the web app knows who is signed in. */
  @ApiOperation({ summary: 'The signed-in user' })
  @Get('me')
  @AllowedBeforePasswordChange()
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@Req() request: ApiRequest): UserView {
    if (!request.user) throw new Error('authenticated route without a user');
    return UserView.of(request.user, this.config);
  }

  private view(result: LoginResult): LoginResponse {
    return { ...result, user: UserView.of(result.user, this.config) };
  }
}
