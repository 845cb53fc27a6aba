import { z } from 'zod';

const iconAssets = z.record(z.string(), z.string()).nullish();

/** One app of the connector directory; camelCase aliases are accepted as upstream does. */
export const directoryAppSchema = z
  .looseObject({
    id: z.string().min(1),
    name: z.string(),
    description: z.string().nullish(),
    logo_url: z.string().nullish(),
    logoUrl: z.string().nullish(),
    logo_url_dark: z.string().nullish(),
    logoUrlDark: z.string().nullish(),
    distribution_channel: z.string().nullish(),
    distributionChannel: z.string().nullish(),
    /** Icon URLs by asset name (size, format), light and dark. */
    icon_assets: iconAssets,
    iconAssets: iconAssets,
    icon_dark_assets: iconAssets,
    iconDarkAssets: iconAssets,
    visibility: z.string().nullish(),
  })
  .transform(({ logoUrl, logoUrlDark, distributionChannel, iconAssets, iconDarkAssets, ...app }) => ({
    ...app,
    logo_url: app.logo_url ?? logoUrl ?? null,
    logo_url_dark: app.logo_url_dark ?? logoUrlDark ?? null,
    distribution_channel: app.distribution_channel ?? distributionChannel ?? null,
    icon_assets: app.icon_assets ?? iconAssets ?? null,
    icon_dark_assets: app.icon_dark_assets ?? iconDarkAssets ?? null,
  }));

/** `GET connectors/directory/list` and `list_workspace`: a page of apps and the next page's token. */
export const directoryPageSchema = z
  .looseObject({
    apps: z.array(directoryAppSchema),
    next_token: z.string().nullish(),
    nextToken: z.string().nullish(),
  })
  .transform(({ nextToken, ...page }) => ({ ...page, next_token: page.next_token ?? nextToken ?? null }));

export type DirectoryApp = z.output<typeof directoryAppSchema>;
