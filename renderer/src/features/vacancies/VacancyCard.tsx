/**
 * One available preschool with the seed's fields: name, phone, type, address, language of
 * instruction, place type, website, location. The location is a link to OpenStreetMap opened in the
 * browser, with the coordinates written out: the app itself loads no map tiles from anywhere.
 */
import { useId } from 'react';
import type { Vacancy } from '../../../../protocol/portal-api.ts';
import { interpolate } from '../../i18n/index.ts';
import { languageName, placeTypeName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';
import { vacancyAddress, vacancyDistrict, vacancyName } from '../../shared/place-names.ts';

function mapUrl({ lat, lon }: { lat: number; lon: number }): string {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function websiteUrl(site: string): string | null {
  const url = /^https?:\/\//i.test(site) ? site : `https://${site}`;
  try {
    return new URL(url).protocol.startsWith('http') ? url : null;
  } catch {
    return null;
  }
}

export function VacancyCard({ vacancy, chosen, onChoose }: { vacancy: Vacancy; chosen: boolean; onChoose: () => void }) {
  const { t, language } = useI18n();
  const id = useId();
  const v = t.vacancies;
  const name = vacancyName(vacancy, language);
  const site = vacancy.website ? websiteUrl(vacancy.website) : null;
  return (
    <article className={chosen ? 'vacancy chosen' : 'vacancy'} aria-labelledby={`${id}-name`} data-offer={vacancy.offerId}>
      <div className="vacancy-head">
        <h2 id={`${id}-name`}>{name}</h2>
        <span className={`badge ${vacancy.kind === 'personal' ? 'badge-personal' : 'badge-free'}`}>
          {vacancy.kind === 'personal' ? v.kindPersonal : v.kindFreeChoice}
        </span>
      </div>
      <dl className="details vacancy-details">
        <div className="details-row">
          <dt>{v.phone}</dt>
          <dd>{vacancy.phone ?? t.application.notGiven}</dd>
        </div>
        <div className="details-row">
          <dt>{v.type}</dt>
          <dd>{vacancy.type === 'correctional' ? v.typeCorrectional : vacancy.type}</dd>
        </div>
        <div className="details-row">
          <dt>{v.address}</dt>
          <dd>{vacancyAddress(vacancy, language)}</dd>
        </div>
        <div className="details-row">
          <dt>{v.district}</dt>
          <dd>{vacancyDistrict(vacancy, language)}</dd>
        </div>
        <div className="details-row">
          <dt>{v.language}</dt>
          <dd>{languageName(t, vacancy.language)}</dd>
        </div>
        <div className="details-row">
          <dt>{v.placeType}</dt>
          <dd>{placeTypeName(t, vacancy.placeType) || t.application.notGiven}</dd>
        </div>
        <div className="details-row">
          <dt>{v.website}</dt>
          <dd>
            {site ? (
              <a href={site} target="_blank" rel="noopener noreferrer">
                {vacancy.website}
              </a>
            ) : (
              t.application.notGiven
            )}
          </dd>
        </div>
        <div className="details-row">
          <dt>{v.location}</dt>
          <dd>
            {vacancy.location ? (
              <>
                {interpolate(v.coordinates, { lat: vacancy.location.lat.toFixed(5), lon: vacancy.location.lon.toFixed(5) })} ·{' '}
                <a href={mapUrl(vacancy.location)} target="_blank" rel="noopener noreferrer">
                  {v.mapLink}
                </a>
              </>
            ) : (
              t.application.notGiven
            )}
          </dd>
        </div>
      </dl>
      <label className="choose">
        <input type="radio" name="vacancy" checked={chosen} onChange={onChoose} />
        <span>{chosen ? v.chosen : v.choose}</span>
      </label>
    </article>
  );
}
