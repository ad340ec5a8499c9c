import type { Role } from '@charity/common';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { API_PREFIX } from '../../../apps/api/src/configure-app';
import { IS_PUBLIC, ROLES_KEY } from '../../../apps/api/src/http/decorators';
import type { Method } from './openapi';

export interface RouteAccess {
  public: boolean;
  /** The route's @Roles(); undefined lets any signed-in role in. */
  roles: Role[] | undefined;
}

const UNPREFIXED = new Set(['health']);

const METHOD_NAMES: Partial<Record<RequestMethod, Method>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

function joinPath(...parts: string[]): string {
  const path = `/${parts.filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return path.replace(/:(\w+)/g, '{$1}');
}

/**
 * Who may call each route, read from the controllers' own decorators (keyed like the OpenAPI
 * document: `get /api/v1/stores/{id}`), so the suite signs in as a role the route lets through.
 */
export function routeAccess(app: INestApplication): Map<string, RouteAccess> {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prefix = UNPREFIXED.has(base) ? '' : API_PREFIX;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const method = METHOD_NAMES[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const own = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (!method || own === undefined) continue;
        const targets = [handler, controller] as never[];
        const access: RouteAccess = {
          public: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
          roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
        };
        for (const path of Array.isArray(own) ? own : [own]) {
          routes.set(`${method} ${joinPath(prefix, base, path)}`, access);
        }
      }
    }
  }
  return routes;
}

/** The role to send a route's cases as: the county admin where allowed, else a store role. */
export function roleFor(access: RouteAccess): Role {
  const preference: Role[] = ['county_admin', 'store_manager', 'clerk', 'auditor'];
  return preference.find((role) => !access.roles || access.roles.includes(role)) as Role;
}
