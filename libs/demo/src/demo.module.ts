import { AccountsModule } from '@charity/accounts';
import { OrganisationModule } from '@charity/organisation';
import { Module } from '@nestjs/common';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [AccountsModule, OrganisationModule],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class DemoModule {}
