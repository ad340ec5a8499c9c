import { UsersService } from '@charity/accounts';
import { type Actor, type Page } from '@charity/common';
import { AppConfig } from '@charity/config';
import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { CreateUserRequest, ListUsersQuery, UpdateUserRequest } from './users.dto';
import { UserView } from './user.view';
import { PageOf } from '../http/api-responses';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@Roles('county_admin', 'auditor')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @ApiOperation({ summary: 'Add a user' })
  @ApiCreatedResponse({ type: UserView })
  @Post()
  @Roles('county_admin')
  async create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest): Promise<UserView> {
    // a password an admin chose: the new user sets their own at first login
    const user = await this.users.create(actor, { ...body, passwordOrigin: 'admin' });
    return UserView.of(user, this.config);
  }

  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: PageOf(UserView) })
  @Get()
  async list(@Query() query: ListUsersQuery): Promise<Page<UserView>> {
    const page = await this.users.list(query, query);
    return { ...page, items: page.items.map((user) => UserView.of(user, this.config)) };
  }

  @ApiOperation({ summary: 'Get one user' })
  @ApiOkResponse({ type: UserView })
  @Get(':id')
  async get(@IdParam() id: number): Promise<UserView> {
    return UserView.of(await this.users.get(id), this.config);
  }

  /** A new `password` is a reset: the user must change it at next login. */
  @ApiOperation({ summary: 'Update a user' })
  @ApiOkResponse({ type: UserView })
  @Patch(':id')
  @Roles('county_admin')
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdateUserRequest,
  ): Promise<UserView> {
    return UserView.of(await this.users.update(actor, id, body), this.config);
  }
}
