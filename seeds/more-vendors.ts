/**
 * Demo timelines of NSO Group (with Candiru), Positive Technologies, COSEINC and Huawei
 * (with ZTE and the other vendors named in the same measures), 2019-2025.
 * Facts come from the confirmed rows of shared/reference/more-vendors-facts.md; titles
 * and summaries are our own words; each quote is a phrase of the cited page as the
 * sheet's "checked:" lines give it. Rows the sheet marks unconfirmed are left out.
 */
import { type DemoActor, type DemoEvent, type DemoSource, type DemoVendor, webSource } from './types';

export const moreVendors: DemoVendor[] = [
  {
    slug: 'nso-group',
    name: 'NSO Group Technologies Ltd',
    aliases: ['NSO Group', 'NSO'],
    country: 'IL',
    website: null,
    description: 'Israeli maker of the Pegasus spyware; Apple names OSY Technologies as its parent.',
  },
  {
    slug: 'candiru',
    name: 'Candiru',
    aliases: [],
    country: 'IL',
    website: null,
    description: 'Israeli spyware vendor, put on the US Entity List with NSO Group in November 2021.',
  },
  {
    slug: 'positive-technologies',
    name: 'Positive Technologies',
    aliases: ['AO Pozitiv Teknolodzhiz', 'Aktsionernoe Obshchestvo Pozitiv Teknolodzhiz', 'JSC Positive Technologies', 'PT'],
    country: 'RU',
    website: null,
    description: 'Cybersecurity company headquartered in Moscow.',
  },
  {
    slug: 'coseinc',
    name: 'Computer Security Initiative Consultancy PTE LTD',
    aliases: ['COSEINC'],
    country: 'SG',
    website: null,
    description: 'Singapore security firm, put on the US Entity List in November 2021.',
  },
  {
    slug: 'huawei',
    name: 'Huawei Technologies Co., Ltd',
    aliases: ['Huawei', 'Huawei UK', 'Huawei Technologies Sweden AB'],
    country: 'CN',
    website: null,
    description: 'Telecommunications equipment maker headquartered in Shenzhen.',
  },
  {
    slug: 'zte',
    name: 'ZTE Corporation',
    aliases: ['ZTE'],
    country: 'CN',
    website: null,
    description: 'Telecommunications equipment maker, named with Huawei in Swedish, US and EU measures.',
  },
  {
    slug: 'hytera',
    name: 'Hytera Communications',
    aliases: ['Hytera'],
    country: null,
    website: null,
    description: 'Radio equipment maker, named in the FCC equipment authorization order of November 2022.',
  },
  {
    slug: 'hikvision',
    name: 'Hangzhou Hikvision Digital Technology',
    aliases: ['Hikvision'],
    country: null,
    website: null,
    description: 'Video surveillance equipment maker, named in the FCC equipment authorization order of November 2022.',
  },
  {
    slug: 'dahua',
    name: 'Dahua Technology',
    aliases: ['Dahua'],
    country: null,
    website: null,
    description: 'Video surveillance equipment maker, named in the FCC equipment authorization order of November 2022.',
  },
];

export const moreActors: DemoActor[] = [
  {
    slug: 'whatsapp',
    name: 'WhatsApp Inc.',
    kind: 'company',
    jurisdiction: 'US',
    description: 'Messaging service of Facebook (now Meta); sued NSO Group with its parent in 2019.',
  },
  { slug: 'apple', name: 'Apple Inc.', kind: 'company', jurisdiction: 'US', description: 'Device maker; sued NSO Group in 2021.' },
  {
    slug: 'us-district-court-nd-cal',
    name: 'US District Court, Northern District of California',
    kind: 'court',
    jurisdiction: 'US',
    description: 'Federal trial court that heard the WhatsApp and Apple suits against NSO Group.',
  },
  { slug: 'nso-group', name: 'NSO Group', kind: 'vendor', jurisdiction: 'IL', description: 'The vendor itself, when it acts.' },
  {
    slug: 'us-treasury-ofac',
    name: 'Office of Foreign Assets Control (US Treasury)',
    kind: 'government',
    jurisdiction: 'US',
    description: 'Administers US financial sanctions, including the list of Specially Designated Nationals (SDN).',
  },
  {
    slug: 'positive-technologies',
    name: 'Positive Technologies',
    kind: 'vendor',
    jurisdiction: 'RU',
    description: 'The vendor itself, when it acts.',
  },
  {
    slug: 'huawei',
    name: 'Huawei',
    kind: 'vendor',
    jurisdiction: 'CN',
    description: 'The vendor itself (or its UK or Swedish unit), when it acts.',
  },
  {
    slug: 'uk-government',
    name: 'UK Government',
    kind: 'government',
    jurisdiction: 'GB',
    description: 'The government of the United Kingdom; the Digital Secretary announced its 5G decision to the House of Commons.',
  },
  {
    slug: 'se-pts',
    name: 'Swedish Post and Telecom Authority (PTS)',
    kind: 'regulator',
    jurisdiction: 'SE',
    description: 'Swedish telecoms regulator; sets the licence conditions of spectrum auctions.',
  },
  {
    slug: 'se-administrative-court-stockholm',
    name: 'Administrative Court in Stockholm (Förvaltningsrätten)',
    kind: 'court',
    jurisdiction: 'SE',
    description: 'First-instance administrative court that heard Huawei’s appeal against PTS.',
  },
  {
    slug: 'se-administrative-court-of-appeal-stockholm',
    name: 'Administrative Court of Appeal in Stockholm (Kammarrätten)',
    kind: 'court',
    jurisdiction: 'SE',
    description: 'Appeal court in the Huawei 5G case.',
  },
  {
    slug: 'se-supreme-administrative-court',
    name: 'Supreme Administrative Court (Högsta förvaltningsdomstolen)',
    kind: 'court',
    jurisdiction: 'SE',
    description: 'Sweden’s highest administrative court.',
  },
  {
    slug: 'european-commission',
    name: 'European Commission',
    kind: 'government',
    jurisdiction: 'EU',
    description: 'The executive of the European Union.',
  },
];

const U = {
  lawfare: 'https://lawfaremedia.org/article/summary-whatsapp-suit-against-nso-group',
  dailyjournal: 'https://dailyjournal-prod.herokuapp.com/articles/385321',
  ictnews: 'http://ictnews.az/wap/read.php?lang=2&content=63828',
  hstoday:
    'https://www.hstoday.us/subject-matter-areas/cybersecurity/united-states-adds-foreign-companies-to-entity-list-for-malicious-cyber-activities/',
  infosectoday: 'https://infosectoday.com/cybersecurity/commerce-department-blacklists-controversial-spyware-company-nso-group/',
  graces: 'https://graces.community/post/addition-of-certain-entities-to-the-entity-list',
  thehill: 'https://thehill.com/policy/cybersecurity/579825-commerce-department-blacklists-four-groups-linked-to-cyber-surveillance/?rl=1',
  jpost: 'https://www.jpost.com/breaking-news/apple-sues-nso-group-for-targeting-its-users-686790',
  investing: 'https://investing.com/news/stock-market-news/apple-files-lawsuit-against-nso-group-2688440',
  medianama: 'https://www.medianama.com/2024/01/223-us-court-rejects-nso-plea-apple-pegasus-lawsuit/',
  therecord: 'https://therecord.media/apple-seeks-dismissal-of-nso-lawsuit-pegasus-spyware',
  patentlyapple:
    'https://www.patentlyapple.com/2024/09/apple-asked-a-court-on-friday-to-dismiss-its-three-year-old-hacking-lawsuits-against-spyware-pioneer-nso-group.html',
  devdiscourse: 'https://www.devdiscourse.com/article/law-order/3202808-whatsapp-victorious-in-legal-battle-against-nso-group',
  usaherald: 'https://usaherald.com/israeli-nso-group-behind-the-hacking-of-whatsapp-according-to-court/',
  ielr: 'https://ielr.com/content/surveillance-without-remedy-rethinking-victim-compensation-after-whatsapp-v-nso-group',
  tuko: 'https://www.tuko.co.ke/business-economy/588281-us-jury-awards-whatsapp-168-mn-nso-group-cyberespionage-suit/',
  dawn: 'https://www.dawn.com/news/1949816/israeli-firm-barred-from-installing-spyware-on-whatsapp',
  newsx: 'https://www.newsx.com/business/us-court-orders-spyware-company-nso-to-stop-targeting-whatsapp-reduces-damages-6-95644/',
  milton: 'https://miltonmarketing.com/news/nso-permanently-barred-from-targeting-whatsapp-users/?amp=1',
  cyberscoop: 'https://cyberscoop.com/us-government-accuses-russian-companies-recruiting-spies-hacking/',
  register: 'https://www.theregister.com/2021/04/16/positive_technologies_us_sanctions_groundless/',
  computing: 'https://www.computing.co.uk/news/4029978/us-sanctions-tech-firms-supporting-russian-intelligence-services',
  techradar: 'https://www.techradar.com/news/positive-technologies-denies-involvement-in-solarwinds-attack',
  channelfutures:
    'https://www.channelfutures.com/regulation-compliance/positive-technologies-calls-out-groundless-accusations-of-supporting-russian-spies',
  lincoln: 'https://archives.lincolndailynews.com/2021/Jul/17/NEWS/business_f.shtml',
  thompsonPt: 'https://www.thompsonhinesmartrade.com/2021/07/bis-adds-six-russian-entities-to-the-entity-lis/',
  vlex: 'https://regulations.vlex.com/vid/addition-of-entities-and-871112392',
  saizul: 'https://blog.saizul.com/articles/amp/2021/07/17/biden-is-battling-russian-hacking-groups-by-imposing-restrictions-on-it-firms',
  blasting:
    'https://us.blastingnews.com/news/2019/05/huawei-lands-on-us-commerce-departments-blacklist-deemed-national-security-risk-002914729.html',
  tradelaw:
    'https://tradelawdaily.com/article/2019/05/17/commerce-adds-huawei-to-entity-list-increasing-export-controls-china-tensions-1905160072?BC=bc_6742623a37ca8',
  thompsonHw: 'https://www.thompsonhinesmartrade.com/2019/05/huawei-technologies-co-ltd-and-68-affiliates-added-to-bis-entity-list/',
  cncnews: 'http://en.cncnews.cn/news/v_show/76429_Huawei_hits_back_at_US_restrictions.shtml',
  bbc: 'https://www.bbc.com/news/av/uk-53406464/huawei-5g-decision-will-cost-up-to-2bn',
  republicUk: 'https://www.republicworld.com/world-news/uk-news/uk-bans-purchase-of-chinas-huawei-5g-equipment-company-calls-decisio.html',
  forexlive: 'https://www.forexlive.com/news/!/uk-government-bans-huawei-from-its-5g-networks-20200714',
  iol: 'https://www.iol.co.za/business-report/companies/uk-ban-on-huawei-5g-moves-britain-into-digital-slow-lane-50966535',
  meterpreter:
    'https://meterpreter.org/huawei-responds-to-uk-ban-on-huawei-from-participating-in-5g-network-construction-disappointing-and-wrong/',
  republicSe:
    'https://www.republicworld.com/world-news/rest-of-the-world-news/sweden-bans-chinas-huawei-zte-telecom-equipment-for-its-5g-network.html',
  lagen: 'https://lagen.nu/dom/rk/2022:1',
  hht: 'https://www.hhtgroup.com.cn/swedish-court-temporarily-lifts-5g-ban-on-huawei-and-zte/',
  clarion: 'https://clarion.causeaction.com/2020/11/06/huawei-appealing-swedens-ban-from-5g-networks-swedish-radio-sr/',
  chinaeconomicreview: 'https://chinaeconomicreview.com/sweden-suspends-5g-auction-after-huawei-wins-court-appeal-against-exclusion/',
  commsupdate: 'https://www.commsupdate.com/articles/2020/11/10/swedish-5g-sale-postponed-after-court-ruling/',
  epochtimes: 'https://www.theepochtimes.com/sweden-to-resume-5g-auctions-despite-huawei-legal-challenge_3624144.html',
  sverigesradio: 'https://sverigesradio.se/artikel/bakslag-for-huawei-i-5g-tvisten',
  sputnikIcsid:
    'https://sputniknews.com/20220129/huawei-files-lawsuit-against-sweden-in-international-court-of-arbitration---reports-1092609993.html',
  capacity: 'https://capacitymedia.com/article/29otcq7s58uymwycap534/news/huawei-takes-swedish-regulator-to-court-over-5g-ban',
  gadgetpage: 'https://gadgetpage.in/?p=37688',
  nasdaqAppeal: 'https://www.nasdaq.com/articles/swedish-telecoms-regulator-to-resume-5g-spectrum-auctions-on-jan.-19-2020-12-18',
  infranyheter: 'https://www.infrastrukturnyheter.se/20210115/24061/bakslag-huawei-i-5g-tvisten?page=0%2C1',
  dagensinfra: 'https://www.dagensinfrastruktur.se/2021/06/22/forvaltningsratten-avslar-huaweis-overklagan/',
  telecompaperSe: 'https://www.telecompaper.com/news/swedish-court-rejects-huawei-appeal-over-5g-supply-ban--1387675',
  asiatechwire: 'https://asiatechwire.com/huawei-responds-to-swedish-courts-5g-ban.html',
  celis:
    'https://www.celis.institute/celis-blog/huawei-technologies-co-ltd-v-the-kingdom-of-sweden-isds-as-a-potential-remedy-against-the-huawei-ban-from-the-5g-rollout/',
  taobserver: 'https://taobserver.com/news/91/huawei-commences-arbitration-proceedings-against-sweden-before-icsid',
  nasdaqUpheld: 'https://www.nasdaq.com/articles/swedish-court-upholds-ban-on-huawei-sale-of-5g-gear-0',
  brandicon: 'https://brandiconimage.com/2022/06/huawei-loses-swedish-appeal-over-5g-ban.html',
  sputnikFcc:
    'https://sputniknews.com/20221125/us-fcc-prohibits-sale-of-telecoms-surveillance-equipment-made-by-chinese-companies-huawei-and-zte-1104707795.html',
  marketscreener:
    'https://www.marketscreener.com/quote/stock/HANGZHOU-HIKVISION-DIGITA-9015346/news/U-S-bans-Huawei-ZTE-equipment-sales-citing-national-security-risk-42412295/?utm_medium=RSS&utm_content=20221125',
  foxbusiness: 'https://www.foxbusiness.com/technology/fcc-bans-huawei-zte-equipment-being-sold-us',
  habilis: 'https://habilis-design.com/tag/reseaux-5g',
  pledgetimes: 'https://pledgetimes.com/the-european-union-warns-these-chinese-companies-represent-a-security-risk/',
  ansa: 'https://www.ansa.it/sito/notizie/tecnologia/tlc/2023/06/15/breton-huawei-e-zte-sono-una-minaccia-escluderle-da-5g_d6c74f32-0966-4fb7-a3f4-2ae93fea9c3e.html',
  cgtn: 'https://news.cgtn.com/news/2023-06-16/China-slams-EU-s-ban-on-Huawei-as-presumption-of-guilt--1kGICcDaUx2/index.html',
  chinatechnews:
    'https://www.chinatechnews.com/2023/06/17/95875-huawei-protests-eus-phase-out-guideline-targeting-vendor-status-accuses-commission-of-discriminatory-judgments',
} as const;

export const moreSources: DemoSource[] = [
  webSource(U.lawfare, 'Summary of the WhatsApp suit against NSO Group', 'Lawfare', null),
  webSource(U.dailyjournal, 'Jury verdict in WhatsApp v. NSO Group', 'Daily Journal', null),
  webSource(U.ictnews, 'NSO Group disputes the WhatsApp allegations', 'ICTnews.az', null),
  webSource(
    U.hstoday,
    'United States adds four foreign companies to the Entity List for malicious cyber activities',
    'Homeland Security Today',
    null,
  ),
  webSource(U.infosectoday, 'Commerce Department blacklists spyware company NSO Group', 'Infosec Today (CyberScoop)', '2021-11-03'),
  webSource(U.graces, 'Addition of certain entities to the Entity List (final rule)', 'graces.community', null),
  webSource(U.thehill, 'Commerce Department blacklists four groups linked to cyber surveillance', 'The Hill', null),
  webSource(U.jpost, 'Apple sues NSO Group for targeting its users', 'The Jerusalem Post', '2021-11-23'),
  webSource(U.investing, 'Apple files lawsuit against NSO Group', 'Investing.com', null),
  webSource(U.medianama, 'US court rejects NSO plea to dismiss Apple’s Pegasus lawsuit', 'MediaNama', '2024-01-29'),
  webSource(U.therecord, 'Apple seeks dismissal of its NSO lawsuit', 'The Record', null),
  webSource(U.patentlyapple, 'Apple asks a court to dismiss its hacking lawsuit against NSO Group', 'Patently Apple', '2024-09'),
  webSource(U.devdiscourse, 'WhatsApp wins its legal battle against NSO Group', 'Devdiscourse', '2024-12-21'),
  webSource(U.usaherald, 'Court finds NSO Group behind the WhatsApp hacking', 'USA Herald', null),
  webSource(U.ielr, 'Victim compensation after WhatsApp v. NSO Group', 'IELR', null),
  webSource(U.tuko, 'US jury awards WhatsApp $168 million against NSO Group', 'Tuko', null),
  webSource(U.dawn, 'Israeli firm barred from installing spyware on WhatsApp', 'Dawn', null),
  webSource(U.newsx, 'US court orders NSO to stop targeting WhatsApp and reduces damages', 'NewsX (Reuters)', '2025-10-18'),
  webSource(U.milton, 'NSO permanently barred from targeting WhatsApp users', 'Milton Marketing', null),
  webSource(U.cyberscoop, 'US government accuses Russian companies of recruiting spies and hacking', 'CyberScoop', null),
  webSource(U.register, 'Positive Technologies calls the US sanctions groundless', 'The Register', '2021-04-16'),
  webSource(U.computing, 'US sanctions tech firms supporting Russian intelligence services', 'Computing', null),
  webSource(U.techradar, 'Positive Technologies denies involvement in the SolarWinds attack', 'TechRadar', null),
  webSource(
    U.channelfutures,
    'Positive Technologies calls out “groundless accusations” of supporting Russian spies',
    'Channel Futures',
    null,
  ),
  webSource(U.lincoln, 'US adds Russian cybersecurity firms to the Entity List (Reuters)', 'Lincoln Daily News', '2021-07-17'),
  webSource(U.thompsonPt, 'BIS adds six Russian entities to the Entity List', 'Thompson Hine SmarTrade', '2021-07'),
  webSource(U.vlex, 'Addition of entities to the Entity List, 86 FR 37901', 'vLex', '2021-07-19'),
  webSource(U.saizul, 'US restricts Russian IT firms over hacking', 'blog.saizul.com', '2021-07-17'),
  webSource(U.blasting, 'Huawei lands on the Commerce Department’s blacklist', 'Blasting News', '2019-05'),
  webSource(U.tradelaw, 'Commerce adds Huawei to the Entity List', 'Trade Law Daily', '2019-05-17'),
  webSource(U.thompsonHw, 'Huawei and 68 affiliates added to the BIS Entity List', 'Thompson Hine SmarTrade', '2019-05'),
  webSource(U.cncnews, 'Huawei hits back at US restrictions', 'CNC News', '2019-05-18'),
  webSource(U.bbc, 'Huawei 5G decision will cost up to £2bn', 'BBC News', '2020-07-14'),
  webSource(U.republicUk, 'UK bans purchase of Huawei 5G equipment', 'Republic World', null),
  webSource(U.forexlive, 'UK government bans Huawei from its 5G networks', 'ForexLive', '2020-07-14'),
  webSource(U.iol, 'Huawei says the UK 5G ban moves Britain into the digital slow lane', 'IOL Business Report', '2020-07-14'),
  webSource(U.meterpreter, 'Huawei responds to the UK 5G ban', 'Meterpreter', null),
  webSource(U.republicSe, 'Sweden bans Huawei and ZTE equipment from its 5G network', 'Republic World', '2020-10-20'),
  webSource(U.lagen, 'Administrative Court of Appeal in Stockholm, RK 2022:1 (Huawei v. PTS)', 'lagen.nu', null, 'sv'),
  webSource(U.hht, 'Swedish court temporarily lifts the 5G ban on Huawei and ZTE', 'HHT Group', null),
  webSource(U.clarion, 'Huawei appeals Sweden’s 5G exclusion (Reuters)', 'clarion.causeaction.com', '2020-11-06'),
  webSource(
    U.chinaeconomicreview,
    'Sweden suspends its 5G auction after Huawei wins a court appeal',
    'China Economic Review',
    '2020-11-11',
  ),
  webSource(U.commsupdate, 'Swedish 5G sale postponed after court ruling', 'CommsUpdate', '2020-11-10'),
  webSource(U.epochtimes, 'Sweden to resume 5G auctions despite Huawei’s legal challenge (Reuters)', 'The Epoch Times', '2020-12-18'),
  webSource(U.sverigesradio, 'Setback for Huawei in the 5G dispute', 'Sveriges Radio', null, 'sv'),
  webSource(U.sputnikIcsid, 'Huawei files an arbitration claim against Sweden', 'Sputnik', '2022-01-29'),
  webSource(U.capacity, 'Huawei takes the Swedish regulator to court over the 5G ban', 'Capacity Media', null),
  webSource(U.gadgetpage, 'Swedish court suspends the Huawei condition of the 5G auction', 'Gadget Page', null),
  webSource(U.nasdaqAppeal, 'Swedish telecoms regulator to resume 5G spectrum auctions on 19 January (Reuters)', 'Nasdaq', '2020-12-18'),
  webSource(U.infranyheter, 'Setback for Huawei in the 5G dispute', 'Infrastrukturnyheter', '2021-01-15', 'sv'),
  webSource(U.dagensinfra, 'Administrative court rejects Huawei’s appeal', 'Dagens Infrastruktur', '2021-06-22', 'sv'),
  webSource(U.telecompaperSe, 'Swedish court rejects Huawei appeal over the 5G supply ban', 'Telecompaper', null),
  webSource(U.asiatechwire, 'Huawei responds to the Swedish court’s 5G ruling', 'Asia Tech Wire', null),
  webSource(U.celis, 'Huawei v. Sweden: investment arbitration against the 5G ban', 'CELIS Institute', null),
  webSource(U.taobserver, 'Huawei starts ICSID arbitration against Sweden', 'TAO Observer', null),
  webSource(U.nasdaqUpheld, 'Swedish court upholds the ban on Huawei 5G gear (Reuters)', 'Nasdaq', '2022-06-22'),
  webSource(U.brandicon, 'Huawei loses its Swedish appeal over the 5G ban', 'brandiconimage.com', '2022-06'),
  webSource(
    U.sputnikFcc,
    'US FCC prohibits the sale of telecom and surveillance equipment made by Huawei and ZTE',
    'Sputnik',
    '2022-11-25',
  ),
  webSource(U.marketscreener, 'US bans Huawei and ZTE equipment sales, citing national security (Reuters)', 'MarketScreener', '2022-11-25'),
  webSource(U.foxbusiness, 'FCC bans Huawei and ZTE equipment from sale in the US', 'Fox Business', '2022-11-25'),
  webSource(U.habilis, 'European Commission communication on 5G networks', 'habilis-design.com', null, 'fr'),
  webSource(U.pledgetimes, 'The European Union warns that Huawei and ZTE are a security risk', 'Pledge Times', '2023-06-16'),
  webSource(U.ansa, 'Breton: Huawei and ZTE are a threat and should be excluded from 5G', 'ANSA', '2023-06-15', 'it'),
  webSource(U.cgtn, 'China criticises the EU position on Huawei', 'CGTN', '2023-06-16'),
  webSource(U.chinatechnews, 'Huawei protests the EU phase-out guidance', 'China Tech News', '2023-06-17'),
];

const N1 = '2019-10-29-whatsapp-sues-nso-group';
const N3 = '2021-11-03-entity-list-adds-nso-candiru-positive-coseinc';
const N5 = '2021-11-23-apple-sues-nso-group';
const N8 = '2024-12-20-court-finds-nso-liable-to-whatsapp';
const N9 = '2025-05-06-jury-awards-whatsapp-damages-against-nso';
const N11 = '2025-10-17-court-bars-nso-from-targeting-whatsapp';
const P1 = '2021-04-15-treasury-sanctions-positive-technologies';
const P3 = '2021-07-16-entity-list-adds-positive-technologies';
const H1 = '2019-05-15-entity-list-adds-huawei';
const H3 = '2020-07-14-uk-orders-huawei-5g-equipment-removed';
const H5 = '2020-10-20-pts-excludes-huawei-and-zte-from-5g';
const H6 = '2020-11-05-huawei-appeals-pts-decision';
const H7 = '2020-11-09-stockholm-court-suspends-huawei-condition';
const H8 = '2020-12-16-appeal-court-restores-pts-conditions';
const H10 = '2021-06-22-stockholm-court-rejects-huawei-appeal';
const H13 = '2022-06-22-appeal-court-upholds-huawei-exclusion';
const H16 = '2023-06-15-commission-calls-huawei-and-zte-high-risk';
const H17 = '2023-06-15-commission-stops-buying-huawei-and-zte-services';

const US = 'US';
const court = 'us-district-court-nd-cal';

export const moreEvents: DemoEvent[] = [
  // NSO Group and Candiru
  {
    publicId: N1,
    title: 'WhatsApp and Facebook sue NSO Group',
    summary:
      'WhatsApp and its parent Facebook filed a federal suit in California accusing NSO Group of using WhatsApp’s servers to install its Pegasus spyware on about 1,400 devices (case 4:19-cv-07123).',
    type: 'legal-action',
    jurisdiction: US,
    actor: 'whatsapp',
    vendors: ['nso-group'],
    occurredOn: '2019-10-29',
    citations: [
      { source: U.lawfare, quote: 'filed a complaint on Oct. 29 in the U.S. District Court' },
      { source: U.dailyjournal, quote: '4:19-cv-07123 (N.D. Cal. filed Oct. 29, 2019)' },
    ],
  },
  {
    publicId: '2019-10-29-nso-disputes-whatsapp-allegations',
    title: 'NSO Group disputes the WhatsApp allegations',
    summary:
      'NSO rejected the claims, said it would fight them, and said it licenses its technology only to government intelligence and police agencies for use against terrorism and serious crime.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'nso-group',
    vendors: ['nso-group'],
    occurredOn: '2019-10-29',
    links: [{ relation: 'responds-to', to: N1 }],
    citations: [
      { source: U.ictnews, quote: "In the strongest possible terms, we dispute today's allegations and will vigorously fight them" },
    ],
  },
  {
    publicId: N3,
    title: 'US Entity List adds NSO Group, Candiru, Positive Technologies and COSEINC',
    summary:
      'The Commerce Department’s Bureau of Industry and Security put four companies on the Entity List: NSO Group and Candiru (Israel) for supplying spyware that foreign governments turned on officials, journalists and activists, and Positive Technologies (Russia) and COSEINC (Singapore) for trafficking in cyber tools. For Positive Technologies it is the second listing of 2021. The rule took effect on 4 November 2021.',
    type: 'export-control',
    jurisdiction: US,
    actor: 'us-commerce-bis',
    vendors: ['nso-group', 'candiru', 'positive-technologies', 'coseinc'],
    occurredOn: '2021-11-03',
    effectiveOn: '2021-11-04',
    citations: [
      { source: U.infosectoday, quote: 'added two Israeli spyware companies, NSO Group and Candiru' },
      {
        source: U.hstoday,
        quote:
          'The four entities are Candiru, NSO Group, Computer Security Initiative Consultancy PTE (COSEINC), and Positive Technologies',
      },
      { source: U.graces, quote: 'This rule is effective November 4, 2021.' },
    ],
  },
  {
    publicId: '2021-11-03-nso-dismayed-by-entity-listing',
    title: 'NSO Group says it is dismayed by the Entity List decision',
    summary: 'NSO said its technology serves US national-security interests and that it would push for the listing to be reversed.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'nso-group',
    vendors: ['nso-group'],
    occurredOn: '2021-11-03',
    links: [{ relation: 'responds-to', to: N3 }],
    citations: [{ source: U.thehill, quote: 'NSO Group is dismayed by the decision' }],
  },
  {
    publicId: N5,
    title: 'Apple sues NSO Group over Pegasus attacks on its users',
    summary:
      'Apple sued NSO Group and its parent company in federal court over Pegasus attacks on Apple users, asking for damages and a permanent injunction keeping NSO away from all Apple software, services and devices.',
    type: 'legal-action',
    jurisdiction: US,
    actor: 'apple',
    vendors: ['nso-group'],
    occurredOn: '2021-11-23',
    citations: [{ source: U.jpost, quote: 'Apple filed a lawsuit against the NSO Group and its parent company' }],
  },
  {
    publicId: '2021-11-23-nso-answers-apple-suit',
    title: 'NSO Group answers Apple’s suit',
    summary:
      'NSO said its tools had saved thousands of lives by giving governments lawful means against terrorists and paedophiles, and that it would keep making its case.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'nso-group',
    vendors: ['nso-group'],
    occurredOn: '2021-11-23',
    links: [{ relation: 'responds-to', to: N5 }],
    citations: [{ source: U.investing, quote: 'NSO Group will continue to advocate for the truth' }],
  },
  {
    publicId: '2024-01-court-denies-nso-motion-to-dismiss-apple-suit',
    title: 'Court refuses to dismiss Apple’s suit against NSO Group',
    summary: 'The federal court in Northern California denied NSO Group’s motion to dismiss the lawsuit Apple had filed against it.',
    type: 'legal-action',
    jurisdiction: US,
    actor: court,
    vendors: ['nso-group'],
    occurredOn: '2024-01',
    links: [{ relation: 'responds-to', to: N5 }],
    citations: [
      { source: U.medianama, quote: "A US court has denied Israel-based NSO Group's motion to dismiss a lawsuit filed by Apple" },
      { source: U.patentlyapple, quote: 'NSO lost its own bid to dismiss the case in January' },
    ],
  },
  {
    publicId: '2024-09-apple-asks-to-drop-its-nso-suit',
    title: 'Apple asks the court to drop its own suit against NSO Group',
    summary:
      'Apple moved to dismiss its lawsuit voluntarily, saying that continuing could put vital threat-intelligence information at risk. Sources differ on the filing day (12 or 13 September 2024); whether the court granted the request is not confirmed here.',
    type: 'legal-action',
    jurisdiction: US,
    actor: 'apple',
    vendors: ['nso-group'],
    occurredOn: '2024-09',
    links: [{ relation: 'reverses', to: N5 }],
    citations: [
      { source: U.therecord, quote: 'Apple on Thursday filed a motion to dismiss its lawsuit against NSO Group' },
      { source: U.patentlyapple, quote: 'Apple Asked a Court on Friday to Dismiss' },
    ],
  },
  {
    publicId: N8,
    title: 'Court finds NSO Group liable for hacking WhatsApp',
    summary:
      'Judge Phyllis Hamilton granted WhatsApp summary judgment: NSO is liable under the federal and California anti-hacking laws and for breach of contract, leaving only damages for trial.',
    type: 'legal-action',
    jurisdiction: US,
    actor: court,
    vendors: ['nso-group'],
    occurredOn: '2024-12-20',
    links: [{ relation: 'responds-to', to: N1 }],
    citations: [
      { source: U.devdiscourse, quote: 'Judge Phyllis Hamilton of the Northern District of California delivered the ruling on Friday' },
      { source: U.usaherald, quote: "granting WhatsApp's request for a partial summary judgment on Friday" },
    ],
  },
  {
    publicId: N9,
    title: 'Jury orders NSO Group to pay WhatsApp about $168 million',
    summary:
      'A federal jury awarded Meta’s WhatsApp $444,719 in compensatory and $167,254,000 in punitive damages against NSO Group, about $168 million in all.',
    type: 'legal-action',
    jurisdiction: US,
    actor: court,
    vendors: ['nso-group'],
    occurredOn: '2025-05-06',
    links: [{ relation: 'implements', to: N8 }],
    citations: [
      { source: U.ielr, quote: 'On Tuesday, May 6, 2025, a federal jury ordered NSO Group' },
      { source: U.tuko, quote: '$444,719 in compensatory damages and another $167,254,000 in punitive damages' },
    ],
  },
  {
    publicId: '2025-05-06-nso-to-appeal-whatsapp-verdict',
    title: 'NSO Group says it will seek remedies against the verdict',
    summary:
      'NSO called the verdict one step in a long process, said its technology is used responsibly by authorised government agencies against crime and terrorism, and said it would pursue legal remedies, an appeal among them.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'nso-group',
    vendors: ['nso-group'],
    occurredOn: '2025-05-06',
    links: [{ relation: 'responds-to', to: N9 }],
    citations: [
      { source: U.dailyjournal, quote: "We will carefully examine the verdict's details and pursue appropriate legal remedies" },
      { source: U.tuko, quote: 'pursue appropriate legal remedies, including further proceedings and an appeal' },
    ],
  },
  {
    publicId: N11,
    title: 'Court bars NSO Group from targeting WhatsApp and cuts the damages',
    summary:
      'Judge Phyllis Hamilton permanently enjoined NSO from targeting WhatsApp and its users and reduced the punitive award from about $167 million to about $4 million.',
    type: 'legal-action',
    jurisdiction: US,
    actor: court,
    vendors: ['nso-group'],
    occurredOn: '2025-10-17',
    links: [{ relation: 'supersedes', to: N9 }],
    citations: [
      { source: U.milton, quote: 'On October 17, 2025, a US federal court issued a permanent injunction' },
      { source: U.newsx, quote: 'In a 25-page ruling handed down Friday' },
      { source: U.dawn, quote: 'slashed a $168 million damages award at trial to just $4m' },
    ],
  },
  {
    publicId: '2025-10-nso-welcomes-reduced-damages',
    title: 'NSO Group welcomes the cut in punitive damages',
    summary:
      'NSO welcomed the 97% reduction of the punitive award and said the injunction does not bind its government customers, who would keep using its technology. Reported by Reuters on 18 October 2025.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'nso-group',
    vendors: ['nso-group'],
    occurredOn: '2025-10',
    links: [{ relation: 'responds-to', to: N11 }],
    citations: [{ source: U.newsx, quote: 'said it welcomed the 97% reduction in punitive damages' }],
  },

  // Positive Technologies
  {
    publicId: P1,
    title: 'US Treasury sanctions Positive Technologies',
    summary:
      'OFAC put Positive Technologies and five other Russian technology entities on its sanctions list for supporting Russian intelligence cyber operations, saying the firm’s large conventions serve as recruiting events for the FSB and GRU. Their property under US jurisdiction is blocked and US persons may not deal with them. Part of the 15 April 2021 package under Executive Order 14024.',
    type: 'sanction',
    jurisdiction: US,
    actor: 'us-treasury-ofac',
    vendors: ['positive-technologies'],
    occurredOn: '2021-04-15',
    citations: [
      {
        source: U.cyberscoop,
        quote: 'the U.S. Treasury Department sanctioned Positive Technologies, a cybersecurity firm headquartered in Moscow',
      },
      { source: U.register, quote: 'Yesterday the US Treasury declared that Positive was selling weaponised infosec tech' },
      { source: U.computing, quote: 'hosts large-scale conventions that are used as recruiting events' },
    ],
  },
  {
    publicId: '2021-04-16-positive-technologies-rejects-sanctions',
    title: 'Positive Technologies rejects the Treasury’s accusations',
    summary:
      'The company called the accusations groundless, said that in almost 20 years there was no evidence its research had been misused, and said it works regardless of geopolitics and carries on operating.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'positive-technologies',
    vendors: ['positive-technologies'],
    occurredOn: '2021-04-16',
    links: [{ relation: 'responds-to', to: P1 }],
    citations: [
      { source: U.register, quote: 'Rejecting all this in a lengthy statement posted to its website this afternoon' },
      { source: U.techradar, quote: 'we deny the groundless accusations made by the US Department of the Treasury' },
      { source: U.channelfutures, quote: 'We do this regardless of geopolitical situation' },
    ],
  },
  {
    publicId: P3,
    title: 'US Entity List adds Positive Technologies',
    summary:
      'The Bureau of Industry and Security added the six Russian entities sanctioned in April, JSC Positive Technologies among them, to the Entity List, so US exports to them need a licence that is normally refused. Announced on 16 July 2021 and published in the Federal Register on 19 July (86 FR 37901).',
    type: 'export-control',
    jurisdiction: US,
    actor: 'us-commerce-bis',
    vendors: ['positive-technologies'],
    occurredOn: '2021-07-16',
    links: [{ relation: 'implements', to: P1 }],
    citations: [
      { source: U.lincoln, quote: "The United States on Friday took a new stab at Russia's cybersecurity industry" },
      { source: U.thompsonPt, quote: 'published a final rule adding six Russian entities' },
      { source: U.vlex, quote: '86 FR 37901' },
    ],
  },
  {
    publicId: '2021-07-positive-technologies-answers-entity-listing',
    title: 'Positive Technologies says the Entity List notice holds nothing new',
    summary:
      'The company said the Commerce Department’s notice contained no new material and that it practises ethical information exchange with the security community. Reported on 16-17 July 2021.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'positive-technologies',
    vendors: ['positive-technologies'],
    occurredOn: '2021-07',
    links: [{ relation: 'responds-to', to: P3 }],
    citations: [{ source: U.saizul, quote: "Positive Technologies stated that the Commerce Department's notice had no new material" }],
  },

  // Huawei, with ZTE and the other vendors named in the same measures
  {
    publicId: H1,
    title: 'US Entity List adds Huawei and 68 affiliates',
    summary:
      'The Bureau of Industry and Security put Huawei and 68 non-US affiliates on the Entity List: every item subject to US export rules now needs a licence, reviewed with a presumption of denial, because Huawei is judged to act against US national-security or foreign-policy interests. Effective 16 May 2019; published in the Federal Register on 21 May.',
    type: 'export-control',
    jurisdiction: US,
    actor: 'us-commerce-bis',
    vendors: ['huawei'],
    occurredOn: '2019-05-15',
    effectiveOn: '2019-05-16',
    citations: [
      { source: U.blasting, quote: "announced on May 15, 2019, that it is adding China's Huawei Technologies Co. Ltd." },
      { source: U.tradelaw, quote: 'scheduled for May 21 publication, but the changes take effect May 16' },
      { source: U.thompsonHw, quote: 'a license review policy of presumption of denial' },
    ],
  },
  {
    publicId: '2019-05-huawei-answers-entity-listing',
    title: 'Huawei says the US restrictions will not make the US safer',
    summary:
      'Huawei said restricting it would leave the US with worse and costlier alternatives, behind on 5G, and would hurt US firms and consumers; it offered to work with the US government on product security. Reported on 18 May 2019.',
    type: 'vendor-statement',
    jurisdiction: US,
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2019-05',
    links: [{ relation: 'responds-to', to: H1 }],
    citations: [{ source: U.cncnews, quote: "unreasonable restrictions will infringe upon Huawei's rights" }],
  },
  {
    publicId: H3,
    title: 'UK orders Huawei 5G equipment out of its networks by 2027',
    summary:
      'Digital Secretary Oliver Dowden told the House of Commons that operators may buy no new Huawei 5G equipment after 31 December 2020 and must remove all of it from their networks by 2027, a requirement to be set in law. The government cited the US sanctions on Huawei.',
    type: 'removal-order',
    jurisdiction: 'GB',
    actor: 'uk-government',
    vendors: ['huawei'],
    occurredOn: '2020-07-14',
    citations: [
      { source: U.bbc, quote: "must remove all of Huawei's 5G kit from their networks by 2027" },
      { source: U.republicUk, quote: 'Digital Secretary Oliver Dowden told the House of Commons on July 14' },
      { source: U.forexlive, quote: 'The requirement will be set out in law' },
    ],
  },
  {
    publicId: '2020-07-14-huawei-uk-calls-ban-disappointing',
    title: 'Huawei UK calls the 5G decision disappointing',
    summary:
      'Huawei UK said the decision was bad news for anyone in the UK with a mobile phone and would put Britain in the digital slow lane, that its future in the UK had been politicised, and urged the government to reconsider.',
    type: 'vendor-statement',
    jurisdiction: 'GB',
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2020-07-14',
    links: [{ relation: 'responds-to', to: H3 }],
    citations: [
      { source: U.iol, quote: 'this disappointing decision was bad news for anyone in the UK with a mobile phone' },
      { source: U.meterpreter, quote: 'The decision made by the British government is disappointing' },
    ],
  },
  {
    publicId: H5,
    title: 'Swedish regulator excludes Huawei and ZTE from 5G',
    summary:
      'After consulting the Armed Forces and the Security Service, PTS set licence conditions for the 3.5 and 2.3 GHz 5G auction: no new central functions may use Huawei or ZTE products, and existing ones must be phased out by 1 January 2025.',
    type: 'removal-order',
    jurisdiction: 'SE',
    actor: 'se-pts',
    vendors: ['huawei', 'zte'],
    occurredOn: '2020-10-20',
    citations: [
      { source: U.republicSe, quote: 'must not be carried out with products from the suppliers Huawei or ZTE' },
      { source: U.lagen, quote: 'Post- och telestyrelsen (PTS) beslutade den 20 oktober 2020' },
    ],
  },
  {
    publicId: H6,
    title: 'Huawei appeals the Swedish 5G exclusion',
    summary:
      'Huawei’s Swedish unit appealed the PTS decision to the Administrative Court in Stockholm and asked for an interim stop, saying the decision was taken without facts, evidence or a hearing and was bad for customers and for Sweden.',
    type: 'legal-action',
    jurisdiction: 'SE',
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2020-11-05',
    links: [{ relation: 'responds-to', to: H5 }],
    citations: [
      { source: U.hht, quote: 'On November 5, Sweden Huawei appealed the administrative decision' },
      { source: U.clarion, quote: 'has appealed Sweden’s decision to exclude the Chinese telecom equipment maker' },
      { source: U.capacity, quote: 'the decision that has been taken is not good for customers nor for Sweden' },
    ],
  },
  {
    publicId: H7,
    title: 'Stockholm court suspends the Huawei condition for now',
    summary:
      'In an interim order, the Administrative Court in Stockholm ruled that the Huawei licence condition does not apply for the time being; PTS postponed the auction due on 10 November 2020.',
    type: 'restriction-lifted',
    jurisdiction: 'SE',
    actor: 'se-administrative-court-stockholm',
    vendors: ['huawei'],
    occurredOn: '2020-11-09',
    links: [{ relation: 'responds-to', to: H6 }],
    citations: [
      { source: U.chinaeconomicreview, quote: 'prohibiting the PTS from carrying out the ban on Huawei for the time being' },
      {
        source: U.commsupdate,
        quote: 'The Administrative Court in Stockholm has upheld an appeal against the licence conditions by Huawei of China',
      },
      { source: U.gadgetpage, quote: 'will not apply for the time being' },
      { source: U.hht, quote: 'temporarily lifted the ban' },
    ],
  },
  {
    publicId: H8,
    title: 'Appeal court lets the Swedish 5G conditions apply again',
    summary:
      'The Administrative Court of Appeal in Stockholm partly granted PTS’s appeal against the interim order, so the conditions apply while the main case continues; PTS set the auction for 19 January 2021.',
    type: 'legal-action',
    jurisdiction: 'SE',
    actor: 'se-administrative-court-of-appeal-stockholm',
    vendors: ['huawei'],
    occurredOn: '2020-12-16',
    links: [{ relation: 'reverses', to: H7 }],
    citations: [
      { source: U.nasdaqAppeal, quote: 'A Swedish appeals court partly granted an appeal by PTS on Wednesday' },
      { source: U.epochtimes, quote: 'A Swedish court on Wednesday backed an appeal by PTS against a ruling to stop the auction' },
    ],
  },
  {
    publicId: '2021-01-supreme-administrative-court-dismisses-huawei-appeal',
    title: 'Supreme Administrative Court dismisses Huawei’s further appeal',
    summary:
      'Sweden’s Supreme Administrative Court dismissed Huawei’s appeal because appeal-court decisions under the Electronic Communications Act cannot be appealed further, so the auction could go ahead. Reported on 15 January 2021.',
    type: 'legal-action',
    jurisdiction: 'SE',
    actor: 'se-supreme-administrative-court',
    vendors: ['huawei'],
    occurredOn: '2021-01',
    links: [{ relation: 'responds-to', to: H8 }],
    citations: [
      {
        source: U.infranyheter,
        quote: 'Högsta förvaltningsdomstolen har avvisat ett överklagande från Huawei i det uppmärksammade 5G-målet',
      },
      { source: U.sverigesradio, quote: 'Skälet för beslutet är att kammarrättens avgöranden enligt den lagen inte får överklagas' },
    ],
  },
  {
    publicId: H10,
    title: 'Stockholm court rejects Huawei’s appeal on the merits',
    summary:
      'The Administrative Court in Stockholm found that PTS had grounds for the conditions on security advice; it faulted PTS for not communicating with Huawei but saw no reason to revoke the decision.',
    type: 'legal-action',
    jurisdiction: 'SE',
    actor: 'se-administrative-court-stockholm',
    vendors: ['huawei'],
    occurredOn: '2021-06-22',
    links: [{ relation: 'responds-to', to: H6 }],
    citations: [
      { source: U.dagensinfra, quote: 'Förvaltningsrätten avslår idag Huaweis överklagan' },
      { source: U.telecompaperSe, quote: 'PTS had been deficient by not communicating with Huawei' },
    ],
  },
  {
    publicId: '2021-06-23-huawei-regrets-swedish-ruling',
    title: 'Huawei respects but regrets the Swedish ruling',
    summary:
      'Huawei said the ruling was not final, that PTS had shown no evidence of security problems in its equipment, and called for objective, verifiable security standards.',
    type: 'vendor-statement',
    jurisdiction: 'SE',
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2021-06-23',
    links: [{ relation: 'responds-to', to: H10 }],
    citations: [{ source: U.asiatechwire, quote: 'Huawei respects the decision of the Administrative Court but regrets it.' }],
  },
  {
    publicId: '2022-01-07-huawei-starts-icsid-arbitration-against-sweden',
    title: 'Huawei starts investment arbitration against Sweden',
    summary:
      'Huawei filed a request for arbitration at the World Bank’s ICSID under the 1982 Sweden–China investment treaty over its exclusion from Swedish 5G (ICSID Case No. ARB/22/2); ICSID registered it on 21 January 2022.',
    type: 'legal-action',
    jurisdiction: 'INT',
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2022-01-07',
    links: [{ relation: 'responds-to', to: H5 }],
    citations: [
      { source: U.celis, quote: 'Huawei filed a Request for Arbitration on 7 January 2022' },
      { source: U.taobserver, quote: 'On January 21, 2022, the Secretary-General of' },
      {
        source: U.sputnikIcsid,
        quote: 'The lawsuit was registered with the International Center for the Settlement of Investment Disputes on January 21.',
      },
    ],
  },
  {
    publicId: H13,
    title: 'Swedish appeal court upholds Huawei’s exclusion from 5G',
    summary:
      'The Administrative Court of Appeal in Stockholm upheld the lower court: the PTS conditions rest on a real, current and serious threat to Sweden’s security, and the 1 January 2025 phase-out stands (published as RK 2022:1).',
    type: 'legal-action',
    jurisdiction: 'SE',
    actor: 'se-administrative-court-of-appeal-stockholm',
    vendors: ['huawei'],
    occurredOn: '2022-06-22',
    links: [{ relation: 'responds-to', to: H10 }],
    citations: [
      { source: U.nasdaqUpheld, quote: 'A Swedish appeals court on Wednesday upheld a ruling by a lower court' },
      { source: U.brandicon, quote: "based on a real, current and sufficiently serious threat to Sweden's security" },
    ],
  },
  {
    publicId: '2022-06-22-huawei-sweden-weighs-next-steps',
    title: 'Huawei Sweden is disappointed and weighs further remedies',
    summary: 'Huawei’s Swedish unit said it was disappointed and would consider further remedies under Swedish and EU law.',
    type: 'vendor-statement',
    jurisdiction: 'SE',
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2022-06-22',
    links: [{ relation: 'responds-to', to: H13 }],
    citations: [{ source: U.nasdaqUpheld, quote: 'We will analyse the ruling, and evaluate our next steps' }],
  },
  {
    publicId: '2022-11-25-fcc-bars-new-huawei-and-zte-equipment',
    title: 'FCC bars new Huawei and ZTE equipment from US approval',
    summary:
      'An FCC Report and Order bars the authorization of all telecommunications and video-surveillance equipment made by Huawei and ZTE and their affiliates, so no new models can be approved for sale or import; Hytera, Hikvision and Dahua equipment only where it is not used for public safety, government facilities or national security. It implements the Secure Equipment Act of 2021 through the Covered List and is not retroactive. Huawei declined to comment.',
    type: 'ban',
    jurisdiction: US,
    actor: 'us-fcc',
    vendors: ['huawei', 'zte', 'hytera', 'hikvision', 'dahua'],
    occurredOn: '2022-11-25',
    citations: [
      {
        source: U.sputnikFcc,
        quote: 'Prohibits authorization of all telecommunications and video surveillance equipment produced by Huawei and ZTE',
      },
      { source: U.marketscreener, quote: 'Huawei declined to comment' },
      {
        source: U.foxbusiness,
        quote: 'all equipment made by Chinese companies Huawei Technologies and the ZTE Corporation cannot be sold in the United States',
      },
    ],
  },
  {
    publicId: H16,
    title: 'European Commission names Huawei and ZTE as high-risk 5G suppliers',
    summary:
      'In a communication on the 5G security toolbox, the Commission (Commissioner Thierry Breton) said Huawei and ZTE pose materially higher risks than other 5G suppliers, called member states’ restrictions on them justified, and noted that only 10 member states had restricted high-risk suppliers.',
    type: 'advisory',
    jurisdiction: 'EU',
    actor: 'european-commission',
    vendors: ['huawei', 'zte'],
    occurredOn: '2023-06-15',
    citations: [
      { source: U.habilis, quote: 'Dans une communication adoptée le 15 juin' },
      { source: U.pledgetimes, quote: 'only 10 member states' },
    ],
  },
  {
    publicId: H17,
    title: 'European Commission stops buying telecom services that rely on Huawei and ZTE',
    summary:
      'In the same communication, the Commission said it would apply the 5G toolbox to its own procurement of telecom services so as not to be exposed to Huawei and ZTE.',
    type: 'procurement-exclusion',
    jurisdiction: 'EU',
    actor: 'european-commission',
    vendors: ['huawei', 'zte'],
    occurredOn: '2023-06-15',
    citations: [
      { source: U.ansa, quote: "al proprio appalto di servizi di telecomunicazione, per evitare l'esposizione a Huawei e Zte" },
      { source: U.cgtn, quote: 'it will no longer use services that rely on Huawei and ZTE' },
    ],
  },
  {
    publicId: '2023-06-huawei-protests-commission-position',
    title: 'Huawei protests the Commission’s position',
    summary:
      'Huawei said the Commission’s position does not rest on a verified, transparent, objective technical assessment, and that exclusions based on discriminatory judgments carry serious economic and social risks. Reported on 17 June 2023.',
    type: 'vendor-statement',
    jurisdiction: 'EU',
    actor: 'huawei',
    vendors: ['huawei'],
    occurredOn: '2023-06',
    links: [
      { relation: 'responds-to', to: H16 },
      { relation: 'responds-to', to: H17 },
    ],
    citations: [{ source: U.chinatechnews, quote: 'clearly not based on a verified, transparent, objective and technical assessment' }],
  },
];
