import { AuthService } from '@charity/accounts';
import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../http/decorators';
import { LoginThrottlerGuard } from '../http/login-throttler.guard';
import type { ApiRequest } from '../http/request';
import { UserView } from '../users/user.view';
import { LoginRequest, LoginResponse } from './login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @ApiOkResponse({ type: LoginResponse })
  async login(@Body() body: LoginRequest, @Req() request: ApiRequest): Promise<LoginResponse> {
    const result = await this.auth.login(body.username, body.password, {
      requestId: typeof request.id === 'string' ? request.id : undefined,
      ip: request.ip,
    });
    return { ...result, user: UserView.of(result.user) };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@Req() request: ApiRequest): UserView {
    if (!request.user) throw new Error('authenticated route without a user');
    return UserView.of(request.user);
  }
}
