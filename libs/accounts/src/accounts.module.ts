import { AuditModule } from '@charity/audit';
import { AppConfig } from '@charity/config';
import { Module } from '@nestjs/common';
import { JwtModule, type JwtModuleOptions } from '@nestjs/jwt';
import { AuthService } from './auth.service';
import { UsersService } from './users.service';

@Module({
  imports: [
    AuditModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig): JwtModuleOptions => ({
        secret: config.jwt.secret,
        signOptions: {
          expiresIn: config.jwt.expiresIn as NonNullable<
            NonNullable<JwtModuleOptions['signOptions']>['expiresIn']
          >,
        },
      }),
    }),
  ],
  providers: [AuthService, UsersService],
  exports: [AuthService, UsersService],
})
export class AccountsModule {}
