/**
 * The shared component schemas of /openapi.json (components.schemas): the main request and
 * response bodies, each under its own name, so routes (and nested bodies) reference them with
 * `$ref` instead of repeating them inline. fastify-type-provider-zod derives two components from
 * each schema registered here: `<Name>` for responses and `<Name>Input` for request bodies (zod's
 * output and input shapes can differ, e.g. with defaults).
 *
 * A registry of its own rather than zod's global one: importing the schemas (main/ does) registers
 * nothing anywhere, and this list is the one place that says what is a component. Only bodies
 * belong here: querystring and path parameter schemas are spelled out as parameters by
 * @fastify/swagger and cannot be references. Of the derived components, the document keeps those
 * the paths reference (directly or through another component): no unused `ErrorBodyInput`.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import * as api from '../../protocol/portal-api.ts';
import * as staff from '../../protocol/staff-api.ts';
import * as admin from '../../protocol/admin-api.ts';
import * as pmpk from '../../protocol/pmpk-api.ts';
import * as apply from '../../protocol/application-api.ts';

const COMPONENTS = {
  ErrorBody: api.ErrorBody,
  OkResponse: api.OkResponse,
  FeedReadRequest: api.FeedReadRequest,
  ReferralsResponse: api.ReferralsResponse,
  PasswordChangeRequest: api.PasswordChangeRequest,
  HealthResponse: api.HealthResponse,
  SupportContacts: api.SupportContacts,
  PortalInfo: api.PortalInfo,
  ChallengeResponse: api.ChallengeResponse,
  LoginRequest: api.LoginRequest,
  LoginResponse: api.LoginResponse,
  PasswordStartRequest: api.PasswordStartRequest,
  PasswordStartResponse: api.PasswordStartResponse,
  PasswordSetRequest: api.PasswordSetRequest,
  PasswordLoginRequest: api.PasswordLoginRequest,
  Me: api.Me,
  NotificationSettings: api.NotificationSettings,
  EmailRequest: api.EmailRequest,
  PhonesRequest: api.PhonesRequest,
  JournalRow: api.JournalRow,
  JournalPage: api.JournalPage,
  Offer: api.Offer,
  LiveOffer: api.LiveOffer,
  OffersResponse: api.OffersResponse,
  ApplicationCard: api.ApplicationCard,
  HistoryEntry: api.HistoryEntry,
  HistoryResponse: api.HistoryResponse,
  DocumentInfo: api.DocumentInfo,
  DocumentsResponse: api.DocumentsResponse,
  DequeueRequest: api.DequeueRequest,
  DequeueResponse: api.DequeueResponse,
  Vacancy: api.Vacancy,
  VacanciesResponse: api.VacanciesResponse,
  ReferralRequest: api.ReferralRequest,
  ReferralResult: api.ReferralResult,
  FeedEvent: api.FeedEvent,
  FeedResponse: api.FeedResponse,
  StaffMe: staff.StaffMe,
  StaffLoginResponse: staff.StaffLoginResponse,
  PublishVacancyRequest: staff.PublishVacancyRequest,
  PublishVacancyResponse: staff.PublishVacancyResponse,
  PublishedVacancy: staff.PublishedVacancy,
  PublishedVacanciesResponse: staff.PublishedVacanciesResponse,
  WithdrawVacancyRequest: staff.WithdrawVacancyRequest,
  WithdrawVacancyResponse: staff.WithdrawVacancyResponse,
  AwaitingReferral: staff.AwaitingReferral,
  AwaitingReferralsResponse: staff.AwaitingReferralsResponse,
  ArrivalResponse: staff.ArrivalResponse,
  ChildLeftRequest: staff.ChildLeftRequest,
  ChildLeftResponse: staff.ChildLeftResponse,
  AdminMe: admin.AdminMe,
  AdminLoginResponse: admin.AdminLoginResponse,
  CalendarYear: admin.CalendarYear,
  CalendarYearsResponse: admin.CalendarYearsResponse,
  CalendarYearDetail: admin.CalendarYearDetail,
  CalendarImportRequest: admin.CalendarImportRequest,
  PmpkCommission: pmpk.PmpkCommission,
  PmpkCommissionsResponse: pmpk.PmpkCommissionsResponse,
  PmpkSlot: pmpk.PmpkSlot,
  PmpkSlotsResponse: pmpk.PmpkSlotsResponse,
  PmpkBookRequest: pmpk.PmpkBookRequest,
  PmpkBooking: pmpk.PmpkBooking,
  PmpkBookingsResponse: pmpk.PmpkBookingsResponse,
  PmpkConclusionRequest: pmpk.PmpkConclusionRequest,
  PmpkConclusionResponse: pmpk.PmpkConclusionResponse,
  RegionsResponse: apply.RegionsResponse,
  ServicesResponse: apply.ServicesResponse,
  OrganisationsResponse: apply.OrganisationsResponse,
  ContactCodeRequest: apply.ContactCodeRequest,
  ContactCodeResponse: apply.ContactCodeResponse,
  ContactConfirmRequest: apply.ContactConfirmRequest,
  ContactConfirmResponse: apply.ContactConfirmResponse,
  ProofUploadRequest: apply.ProofUploadRequest,
  ProofUploadResponse: apply.ProofUploadResponse,
  ApplicationSubmitRequest: apply.ApplicationSubmitRequest,
  ApplicationSubmitResponse: apply.ApplicationSubmitResponse,
  // #13: age groups
  AgeGroupRequest: staff.AgeGroupRequest,
  AgeGroup: staff.AgeGroup,
  AgeGroupsResponse: staff.AgeGroupsResponse,
  // PMPK booking before an application (#14)
  PmpkChild: pmpk.PmpkChild,
  // #13: staff move a child between age groups
  MoveToGroupRequest: staff.MoveToGroupRequest,
  // The commission's examination schedule for its staff (#14)
  PmpkScheduleEntry: pmpk.PmpkScheduleEntry,
  PmpkCommissionSchedule: pmpk.PmpkCommissionSchedule,
} satisfies Record<string, $ZodType>;

export type ComponentName = keyof typeof COMPONENTS;

function componentRegistry() {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  return registry;
}

const REF = /"#\/components\/schemas\/([^"]+)"/g;
const refsIn = (value: unknown): string[] => [...JSON.stringify(value ?? null).matchAll(REF)].map((m) => m[1] ?? '');

type OpenApiDocument = ReturnType<SwaggerTransformObject>;

/** Drops the component schemas the document's paths do not reach (in place; returns the document). */
export function referencedComponentsOnly(doc: OpenApiDocument): OpenApiDocument {
  if (!('components' in doc) || !doc.components?.schemas) return doc;
  const schemas = doc.components.schemas;
  const keep = new Set<string>();
  const pending = refsIn(doc.paths);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (keep.has(name) || !Object.hasOwn(schemas, name)) continue;
    keep.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  for (const name of Object.keys(schemas)) if (!keep.has(name)) Reflect.deleteProperty(schemas, name);
  return doc;
}

/** @fastify/swagger's `transform` and `transformObject` for the portal's zod schemas and components. */
export function openApiTransforms() {
  const schemaRegistry = componentRegistry();
  const withComponents = createJsonSchemaTransformObject({ schemaRegistry });
  const transformObject: SwaggerTransformObject = (document) => referencedComponentsOnly(withComponents(document));
  return { transform: createJsonSchemaTransform({ schemaRegistry }), transformObject };
}
