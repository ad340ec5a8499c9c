import { DonationsModule } from '@charity/donations';
import { Module } from '@nestjs/common';
import { PublicPagesController } from './public-pages.controller';

/** The light, phone-first public face under `/p/` (receipt verification; more to come). */
@Module({
  imports: [DonationsModule],
  controllers: [PublicPagesController],
})
export class PublicPagesModule {}
