/**
 * The sourced demo timeline of Kaspersky Lab, 2017-2024.
 * Facts (dates, actors, what happened, source addresses) come from
 * shared/reference/kaspersky-timeline-facts.md and the "better sources" of
 * more-vendors-facts.md; titles and summaries are our own words. Source titles
 * describe each article; they are not the publishers' headlines. Every quote is
 * a phrase of the cited page, word for word.
 */
import { type DemoActor, type DemoEvent, type DemoSource, type DemoVendor, webSource } from './types';

export const SEED_ARTICLE_KEY = 'seed-article:kaspersky-pause';

const ENGADGET_GSA = 'https://www.engadget.com/2017/07/12/us-government-removes-kaspersky-approved-vendors-cybersecurity/';
const DARKREADING_GSA = 'https://www.darkreading.com/risk/us-government-limits-purchase-of-kaspersky-lab-software/d/d-id/1329335';
const FR_BOD = 'https://govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm';
const GUARDIAN_NCSC =
  'https://www.theguardian.com/technology/2017/dec/02/dont-use-antivirus-firms-linked-to-russia-cyber-security-chief-tells-whitehall';
const SCUK_NCSC = 'https://www.scmagazineuk.com/ncsc-warns-use-russian-security-products-government-agencies/article/1473707';
const SC_NDAA = 'https://www.scmagazine.com/news/content/trump-signs-bill-banning-kaspersky-products-into-law';
const DT_NDAA = 'https://www.digitaltrends.com/computing/kaspersky-lab-software-services-banned-federal-agencies/';
const BLEEPING_NL = 'https://www.bleepingcomputer.com/news/government/dutch-government-to-phase-out-use-of-kaspersky-antivirus/';
const TELECOMPAPER_NL = 'https://www.telecompaper.com/news/dutch-govt-bans-use-of-kaspersky-lab-products--1244314';
const CYBERVISER_CH = 'https://www.cyberviser.com/2018/05/kaspersky-lab-to-move-core-infrastructure-from-russia-to-switzerland/';
const SCWORLD_CH = 'https://www.scworld.com/news/kaspersky-lab-to-set-up-shop-in-switzerland-amid-kremlin-concerns';
const INTELLINEWS_CH = 'https://intellinews.com/russian-anti-virus-software-company-kaspersky-lab-relocating-to-switzerland-141742';
const CDRINFO_CH = 'https://cdrinfo.com/d7/content/kaspersky-lab-moving-core-infrastructure-switzerland';
const CSO_EP = 'https://www2.cso.com.au/article/print/642394/eu-parliament-overwhelmingly-backs-recommending-ban-kaspersky-products/';
const WT_EP = 'https://www.washingtontimes.com/news/2018/jun/13/kaspersky-lab-russian-antivirus-vendor-targeting-m/';
const CA_BSI = 'https://www.computer-automation.de/safety---security/warning-against-the-use-of-kaspersky-antivirus-protection.htm';
const CHJUNKONG_FCC = 'https://chjunkong.com/129496/security/us-fcc-bans-kaspersky.html';
const JUSTIA_ICTS = 'https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html';
const SIDLEY_ICTS =
  'https://datamatters.sidley.com/2024/06/26/u-s-commerce-department-issues-first-of-its-kind-determination-banning-certain-software-products-and-services';

export const SWISS_MOVE_ID = '2018-05-15-kaspersky-moves-core-infrastructure-to-switzerland';

export const kasperskyVendors: DemoVendor[] = [
  {
    slug: 'kaspersky-lab',
    name: 'Kaspersky Lab',
    aliases: ['Kaspersky', 'AO Kaspersky Lab', 'Kaspersky Lab, Inc.'],
    country: 'RU',
    website: 'https://www.kaspersky.com/',
    description: 'Anti-virus and cybersecurity software maker headquartered in Moscow.',
  },
  {
    slug: 'china-telecom-americas',
    name: 'China Telecom (Americas) Corp',
    aliases: ['China Telecom Americas'],
    country: null,
    website: null,
    description: 'Named with Kaspersky on the FCC Covered List in March 2022.',
  },
  {
    slug: 'china-mobile-international-usa',
    name: 'China Mobile International USA Inc',
    aliases: ['China Mobile International USA'],
    country: null,
    website: null,
    description: 'Named with Kaspersky on the FCC Covered List in March 2022.',
  },
];

export const kasperskyActors: DemoActor[] = [
  {
    slug: 'us-gsa',
    name: 'General Services Administration',
    kind: 'government',
    jurisdiction: 'US',
    description: 'Runs purchasing contracts for US federal agencies.',
  },
  {
    slug: 'us-dhs',
    name: 'Department of Homeland Security',
    kind: 'government',
    jurisdiction: 'US',
    description: 'Issues binding operational directives to federal civilian agencies.',
  },
  {
    slug: 'uk-ncsc',
    name: 'National Cyber Security Centre',
    kind: 'government',
    jurisdiction: 'GB',
    description: "The UK's technical authority for cyber security.",
  },
  {
    slug: 'us-congress',
    name: 'US Congress and President',
    kind: 'legislature',
    jurisdiction: 'US',
    description: 'Passed and signed the National Defense Authorization Act for fiscal year 2018.',
  },
  {
    slug: 'nl-ministry-of-justice-and-security',
    name: 'Dutch Ministry of Justice and Security',
    kind: 'government',
    jurisdiction: 'NL',
    description: 'Dutch government ministry; its minister informed parliament of the Kaspersky phase-out.',
  },
  { slug: 'kaspersky-lab', name: 'Kaspersky Lab', kind: 'vendor', jurisdiction: 'RU', description: 'The vendor itself, when it acts.' },
  {
    slug: 'european-parliament',
    name: 'European Parliament',
    kind: 'legislature',
    jurisdiction: 'EU',
    description: 'The directly elected legislature of the European Union.',
  },
  {
    slug: 'de-bsi',
    name: 'Federal Office for Information Security (BSI)',
    kind: 'government',
    jurisdiction: 'DE',
    description: "Germany's federal cyber security authority.",
  },
  {
    slug: 'us-fcc',
    name: 'Federal Communications Commission',
    kind: 'regulator',
    jurisdiction: 'US',
    description: 'US communications regulator; keeps the Covered List.',
  },
  {
    slug: 'us-commerce-bis',
    name: 'Department of Commerce, Bureau of Industry and Security (BIS)',
    kind: 'government',
    jurisdiction: 'US',
    description:
      'Runs US export controls, the Entity List among them; its Office of Information and Communications Technology and Services (OICTS) issued the 2024 Kaspersky determination.',
  },
  {
    slug: 'europol',
    name: 'Europol',
    kind: 'law-enforcement',
    jurisdiction: 'EU',
    description: 'The European Union Agency for Law Enforcement Cooperation.',
  },
  {
    slug: 'no-more-ransom',
    name: 'No More Ransom',
    kind: 'partnership',
    jurisdiction: 'INT',
    description: 'A public-private project that helps ransomware victims recover their data without paying.',
  },
];

export const kasperskySources: DemoSource[] = [
  {
    key: SEED_ARTICLE_KEY,
    url: null,
    title: 'Kaspersky pulls a pause button on Europe’s Cybercrime project',
    publisher: '',
    publishedOn: '2018-06',
    language: 'en',
    bodyFile: 'kaspersky-pause-article.txt',
  },
  webSource(ENGADGET_GSA, 'US government drops Kaspersky from its approved vendor lists', 'Engadget', '2017-07-12'),
  webSource(DARKREADING_GSA, 'US government limits purchases of Kaspersky Lab software', 'Dark Reading', '2017-07'),
  webSource(FR_BOD, 'Federal Register notice of Binding Operational Directive 17-01', 'Federal Register (GovInfo)', '2017-09-19'),
  webSource(GUARDIAN_NCSC, 'UK cyber security chief tells Whitehall to avoid Russia-linked anti-virus firms', 'The Guardian', '2017-12-02'),
  webSource(SCUK_NCSC, 'NCSC warns government agencies about Russian security products', 'SC Magazine UK', '2017-12'),
  webSource(SC_NDAA, 'Bill banning Kaspersky products signed into law', 'SC Magazine', '2017-12'),
  webSource(DT_NDAA, 'Kaspersky Lab software and services banned from federal agencies', 'Digital Trends', '2017-12'),
  webSource(BLEEPING_NL, 'Dutch government to phase out Kaspersky anti-virus', 'BleepingComputer', '2018-05'),
  webSource(TELECOMPAPER_NL, 'Dutch government stops using Kaspersky Lab products', 'Telecompaper', '2018-05'),
  webSource(CYBERVISER_CH, 'Kaspersky Lab to move core infrastructure from Russia to Switzerland', 'Cyberviser', '2018-05'),
  webSource(SCWORLD_CH, 'Kaspersky Lab sets up in Switzerland amid concerns about the Kremlin', 'SC World', null),
  webSource(INTELLINEWS_CH, 'Kaspersky Lab relocates data processing to Switzerland', 'bne IntelliNews', '2018-05-16'),
  webSource(CDRINFO_CH, 'Kaspersky Lab moves core infrastructure to Switzerland', 'CDRInfo', null),
  webSource(CSO_EP, 'EU Parliament backs recommending a ban on Kaspersky products', 'CSO Australia', '2018-06'),
  webSource(WT_EP, 'European Parliament measure targets Russian anti-virus vendor Kaspersky Lab', 'The Washington Times', '2018-06-13'),
  webSource(CA_BSI, 'BSI warns against using Kaspersky anti-virus protection', 'Computer&Automation', '2022-03'),
  webSource(CHJUNKONG_FCC, 'US FCC puts Kaspersky on its national-security threat list', 'chjunkong.com', '2022-03'),
  webSource(
    JUSTIA_ICTS,
    'Final Determination, Case ICTS-2021-002: Kaspersky Lab (Federal Register 2024-13532)',
    'Justia Regulations',
    '2024-06-24',
  ),
  webSource(
    SIDLEY_ICTS,
    'Commerce Department issues its first determination banning software products and services',
    'Sidley Austin, Data Matters',
    '2024-06-26',
  ),
];

export const kasperskyEvents: DemoEvent[] = [
  {
    publicId: '2017-07-11-gsa-removes-kaspersky-from-approved-vendors',
    title: 'GSA drops Kaspersky Lab from its approved vendor lists',
    summary:
      'The General Services Administration took Kaspersky Lab off its schedules of approved vendors for IT services and digital photography. Agencies could still buy its products outside GSA contracts. The move was reported on 12 July 2017.',
    type: 'procurement-exclusion',
    jurisdiction: 'US',
    actor: 'us-gsa',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-07-11',
    citations: [
      {
        source: ENGADGET_GSA,
        quote:
          'removed the Moscow-based cyber security company from two lists of approved vendors covering IT services and digital photographic equipment',
      },
      { source: DARKREADING_GSA, quote: 'US government agencies may use Kaspersky products bought outside the GSA contract process' },
    ],
  },
  {
    publicId: '2017-09-13-dhs-bod-17-01-orders-removal',
    title: 'DHS orders federal agencies to remove Kaspersky products (BOD 17-01)',
    summary:
      'Binding Operational Directive 17-01 gives federal civilian agencies 30 days to find Kaspersky-branded products on their systems, 60 days to plan their removal, and has removal begin at 90 days. The Federal Register carried the notice on 19 September 2017.',
    type: 'removal-order',
    jurisdiction: 'US',
    actor: 'us-dhs',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-09-13',
    citations: [{ source: FR_BOD, quote: 'Binding Operational Directive 17-01 was issued on September 13' }],
  },
  {
    publicId: '2017-12-01-ncsc-advises-against-russian-antivirus',
    title: 'UK NCSC advises departments against Russian anti-virus',
    summary:
      'In a letter to permanent secretaries, NCSC chief executive Ciaran Martin advised that departments should not use anti-virus products from Russia on systems where access by the Russian state would put national security at risk.',
    type: 'advisory',
    jurisdiction: 'GB',
    actor: 'uk-ncsc',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-12-01',
    citations: [
      {
        source: GUARDIAN_NCSC,
        quote: 'Government departments have been warned against using antivirus software made by technology firms with links to Russia',
      },
      { source: SCUK_NCSC, quote: 'issue of supply chain risk in cloud-based products, including anti-virus (AV) software' },
    ],
  },
  {
    publicId: '2017-12-12-ndaa-fy2018-section-1634-ban',
    title: 'NDAA for FY2018 bans Kaspersky Lab across the federal government',
    summary:
      'The National Defense Authorization Act for fiscal year 2018 was signed into law. Its section 1634 forbids every federal department and agency to use hardware, software or services from Kaspersky Lab, with effect from 1 October 2018.',
    type: 'ban',
    jurisdiction: 'US',
    actor: 'us-congress',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-12-12',
    effectiveOn: '2018-10-01',
    citations: [
      { source: SC_NDAA, quote: 'According to the law, the ban takes effect on Oct. 1, 2018.' },
      { source: DT_NDAA, quote: 'The ban on using anything developed by Kaspersky Lab will begin October 1, 2018.' },
    ],
  },
  {
    publicId: '2018-05-14-dutch-government-phases-out-kaspersky',
    title: 'Dutch government to phase out Kaspersky anti-virus',
    summary:
      'Justice and Security minister Ferd Grapperhaus told parliament that the national government would stop using Kaspersky anti-virus as a precaution, and advised companies in vital sectors to do the same.',
    type: 'removal-order',
    jurisdiction: 'NL',
    actor: 'nl-ministry-of-justice-and-security',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-05-14',
    citations: [
      {
        source: BLEEPING_NL,
        quote: 'The Dutch government will be phasing out the use of Kaspersky software products on government networks',
      },
      { source: TELECOMPAPER_NL, quote: 'the national government will no longer use anti-virus software from Kaspersky Lab' },
    ],
  },
  {
    publicId: SWISS_MOVE_ID,
    previousPublicIds: ['2018-05-kaspersky-moves-core-infrastructure-to-switzerland'],
    title: 'Kaspersky to move core infrastructure to Switzerland',
    summary:
      'As part of its Global Transparency Initiative, Kaspersky Lab announced in a press release that it would relocate data processing and software assembly from Russia to Zurich, Switzerland.',
    type: 'vendor-measure',
    jurisdiction: 'CH',
    actor: 'kaspersky-lab',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-05-15',
    citations: [
      { source: SCWORLD_CH, quote: 'Kaspersky CEO Eugene Kaspersky said in a May 15, 2018, press release' },
      { source: CYBERVISER_CH, quote: 'preparing to move a number of its core processes from Russia to Switzerland' },
      { source: INTELLINEWS_CH, quote: 'will move its data and major processing centre out of Russia to Switzerland' },
      { source: CDRINFO_CH, quote: "Kaspersky Lab will relocate to Zurich its 'software build conveyer'" },
    ],
  },
  {
    publicId: '2018-06-13-european-parliament-cyber-defence-resolution',
    title: 'European Parliament resolution names Kaspersky software as malicious',
    summary:
      'The Parliament adopted a non-binding resolution on cyber defence (report A8-0189/2018, rapporteur Urmas Paet) by 476 votes, with 36 abstentions. It calls on the EU to exclude programs confirmed as malicious and cites Kaspersky Lab as an example.',
    type: 'resolution',
    jurisdiction: 'EU',
    actor: 'european-parliament',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-06-13',
    citations: [
      {
        source: SEED_ARTICLE_KEY,
        quote:
          'The motion also asks the systems to put prohibition on the hardware and software, which have been agreed upon to be malicious and lists Kaspersky Lab as a firm of this kind.',
      },
      { source: CSO_EP, quote: 'A huge majority of EU lawmakers backed a cyber defense resolution' },
      { source: WT_EP, quote: 'The European Parliament approved a motion Wednesday targeting Kaspersky Lab' },
    ],
  },
  {
    publicId: '2018-06-13-kaspersky-freezes-europol-and-no-more-ransom-work',
    title: 'Kaspersky freezes its work with Europol and No More Ransom',
    summary:
      'Answering the Parliament vote, Eugene Kaspersky said the company had no choice but to suspend its cooperation with European law-enforcement bodies, Europol and the No More Ransom project among them, until the Parliament clarifies its position.',
    type: 'cooperation-suspended',
    jurisdiction: 'EU',
    actor: 'kaspersky-lab',
    affected: ['europol', 'no-more-ransom'],
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-06-13',
    links: [{ relation: 'responds-to', to: '2018-06-13-european-parliament-cyber-defence-resolution' }],
    citations: [
      {
        source: SEED_ARTICLE_KEY,
        quote:
          'cooperation with cyber-crime combating movements from Europe as well as Europol will be stopped till the company receives an official clarification from the parliament of Europe',
      },
      { source: CSO_EP, quote: 'we are forced to freeze our cooperation with orgs including @Europol & #NoMoreRansom' },
    ],
  },
  {
    publicId: '2018-06-13-kaspersky-rejects-parliament-claim',
    title: 'Kaspersky calls the Parliament’s claim false and disrespectful',
    summary:
      'Kaspersky Lab rejected the resolution’s description of its software as wrong and a sign of disrespect, said the vote would encourage cybercrime, and pointed out that the European Commission had earlier found no sign that it posed a danger.',
    type: 'vendor-statement',
    jurisdiction: 'EU',
    actor: 'kaspersky-lab',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-06-13',
    links: [{ relation: 'responds-to', to: '2018-06-13-european-parliament-cyber-defence-resolution' }],
    citations: [{ source: SEED_ARTICLE_KEY, quote: 'this move by the parliament of Europe is calling for cybercrime' }],
  },
  {
    publicId: '2022-03-15-bsi-warns-against-kaspersky',
    title: 'German BSI warns against Kaspersky anti-virus',
    summary:
      'After Russia invaded Ukraine, Germany’s Federal Office for Information Security warned against using Kaspersky anti-virus software and advised replacing it with alternative products.',
    type: 'advisory',
    jurisdiction: 'DE',
    actor: 'de-bsi',
    vendors: ['kaspersky-lab'],
    occurredOn: '2022-03-15',
    citations: [
      { source: CA_BSI, quote: "This provider's software should be replaced by alternative products, the BSI advised on Tuesday." },
    ],
  },
  {
    publicId: '2022-03-25-fcc-covered-list-additions',
    title: 'FCC adds Kaspersky and two Chinese carriers to its Covered List',
    summary:
      'The Federal Communications Commission placed Kaspersky, China Telecom (Americas) and China Mobile International USA on its Covered List of equipment and services considered a threat to US national security.',
    type: 'procurement-exclusion',
    jurisdiction: 'US',
    actor: 'us-fcc',
    vendors: ['kaspersky-lab', 'china-telecom-americas', 'china-mobile-international-usa'],
    occurredOn: '2022-03-25',
    citations: [
      {
        source: CHJUNKONG_FCC,
        quote:
          'added equipment and services from three entities – AO Kaspersky Lab, China Telecom (Americas) Corp, and China Mobile International USA Inc.',
      },
    ],
  },
  {
    publicId: '2024-06-20-commerce-final-determination-bans-kaspersky',
    title: 'US Commerce Department bars Kaspersky from selling to US persons',
    summary:
      'A Final Determination in case ICTS-2021-002 prohibits Kaspersky from providing anti-virus and cybersecurity products to US persons: new sales are barred from 20 July 2024 and updates from 29 September 2024. It appeared in the Federal Register on 24 June 2024.',
    type: 'ban',
    jurisdiction: 'US',
    actor: 'us-commerce-bis',
    vendors: ['kaspersky-lab'],
    occurredOn: '2024-06-20',
    effectiveOn: '2024-07-20',
    citations: [
      { source: JUSTIA_ICTS, quote: 'poses undue and unacceptable risks to U.S. national security' },
      {
        source: SIDLEY_ICTS,
        quote: 'prohibiting the provision of its antivirus software and cybersecurity products in the United States or to U.S. persons',
      },
    ],
  },
];
