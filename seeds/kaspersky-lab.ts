/**
 * The sourced demo timeline: Kaspersky Lab, 2017-2024.
 * Facts (dates, actors, what happened, source addresses) come from
 * shared/reference/kaspersky-timeline-facts.md; titles and summaries are our own words.
 * Source titles describe each article; they are not the publishers' headlines.
 */

export interface DemoVendor {
  slug: string;
  name: string;
  aliases: string[];
  country: string | null;
  website: string | null;
  description: string;
}

export interface DemoActor {
  slug: string;
  name: string;
  kind: string;
  jurisdiction: string | null;
  description: string;
}

export interface DemoSource {
  /** The key citations use: the URL, or a fixed key for a source without one. */
  key: string;
  url: string | null;
  title: string;
  publisher: string;
  publishedOn: string | null;
  language: string;
  /** File in seeds/ whose text is stored as the source's body. */
  bodyFile?: string;
}

export interface DemoCitation {
  source: string;
  quote?: string;
}

export interface DemoEvent {
  publicId: string;
  title: string;
  summary: string;
  type: string;
  jurisdiction: string;
  actor: string;
  affected?: string[];
  vendors: string[];
  occurredOn: string;
  effectiveOn?: string;
  respondsTo?: string;
  citations: DemoCitation[];
}

export const SEED_ARTICLE_KEY = 'seed-article:kaspersky-pause';

export const demoVendors: DemoVendor[] = [
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

export const demoActors: DemoActor[] = [
  { slug: 'us-gsa', name: 'General Services Administration', kind: 'government', jurisdiction: 'US', description: 'Runs purchasing contracts for US federal agencies.' },
  { slug: 'us-dhs', name: 'Department of Homeland Security', kind: 'government', jurisdiction: 'US', description: 'Issues binding operational directives to federal civilian agencies.' },
  { slug: 'uk-ncsc', name: 'National Cyber Security Centre', kind: 'government', jurisdiction: 'GB', description: "The UK's technical authority for cyber security." },
  { slug: 'us-congress', name: 'US Congress and President', kind: 'legislature', jurisdiction: 'US', description: 'Passed and signed the National Defense Authorization Act for fiscal year 2018.' },
  { slug: 'nl-ministry-of-justice-and-security', name: 'Dutch Ministry of Justice and Security', kind: 'government', jurisdiction: 'NL', description: 'Dutch government ministry; its minister informed parliament of the Kaspersky phase-out.' },
  { slug: 'kaspersky-lab', name: 'Kaspersky Lab', kind: 'vendor', jurisdiction: 'RU', description: 'The vendor itself, when it acts.' },
  { slug: 'european-parliament', name: 'European Parliament', kind: 'legislature', jurisdiction: 'EU', description: 'The directly elected legislature of the European Union.' },
  { slug: 'de-bsi', name: 'Federal Office for Information Security (BSI)', kind: 'government', jurisdiction: 'DE', description: "Germany's federal cyber security authority." },
  { slug: 'us-fcc', name: 'Federal Communications Commission', kind: 'regulator', jurisdiction: 'US', description: 'US communications regulator; keeps the Covered List.' },
  { slug: 'us-commerce-bis', name: 'Department of Commerce (BIS, OICTS)', kind: 'government', jurisdiction: 'US', description: "The Bureau of Industry and Security's Office of Information and Communications Technology and Services." },
  { slug: 'europol', name: 'Europol', kind: 'law-enforcement', jurisdiction: 'EU', description: 'The European Union Agency for Law Enforcement Cooperation.' },
  { slug: 'no-more-ransom', name: 'No More Ransom', kind: 'partnership', jurisdiction: 'INT', description: 'A public-private project that helps ransomware victims recover their data without paying.' },
];

export const demoSources: DemoSource[] = [
  {
    key: SEED_ARTICLE_KEY,
    url: null,
    title: 'Kaspersky pulls a pause button on Europe’s Cybercrime project',
    publisher: '',
    publishedOn: '2018-06',
    language: 'en',
    bodyFile: 'kaspersky-pause-article.txt',
  },
  { key: 'https://www.engadget.com/2017/07/12/us-government-removes-kaspersky-approved-vendors-cybersecurity/', url: 'https://www.engadget.com/2017/07/12/us-government-removes-kaspersky-approved-vendors-cybersecurity/', title: 'US government drops Kaspersky from its approved vendor lists', publisher: 'Engadget', publishedOn: '2017-07-12', language: 'en' },
  { key: 'https://www.darkreading.com/risk/us-government-limits-purchase-of-kaspersky-lab-software/d/d-id/1329335', url: 'https://www.darkreading.com/risk/us-government-limits-purchase-of-kaspersky-lab-software/d/d-id/1329335', title: 'US government limits purchases of Kaspersky Lab software', publisher: 'Dark Reading', publishedOn: '2017-07', language: 'en' },
  { key: 'https://www.cisa.gov/news-events/directives/binding-operational-directive-17-01', url: 'https://www.cisa.gov/news-events/directives/binding-operational-directive-17-01', title: 'Binding Operational Directive 17-01: removal of Kaspersky-branded products', publisher: 'CISA', publishedOn: '2017-09-13', language: 'en' },
  { key: 'https://govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm', url: 'https://govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm', title: 'Federal Register notice of Binding Operational Directive 17-01', publisher: 'Federal Register (GovInfo)', publishedOn: '2017-09-19', language: 'en' },
  { key: 'https://www.theguardian.com/technology/2017/dec/02/dont-use-antivirus-firms-linked-to-russia-cyber-security-chief-tells-whitehall', url: 'https://www.theguardian.com/technology/2017/dec/02/dont-use-antivirus-firms-linked-to-russia-cyber-security-chief-tells-whitehall', title: 'UK cyber security chief tells Whitehall to avoid Russia-linked anti-virus firms', publisher: 'The Guardian', publishedOn: '2017-12-02', language: 'en' },
  { key: 'https://www.scmagazineuk.com/ncsc-warns-use-russian-security-products-government-agencies/article/1473707', url: 'https://www.scmagazineuk.com/ncsc-warns-use-russian-security-products-government-agencies/article/1473707', title: 'NCSC warns government agencies about Russian security products', publisher: 'SC Magazine UK', publishedOn: '2017-12', language: 'en' },
  { key: 'https://www.scmagazine.com/news/content/trump-signs-bill-banning-kaspersky-products-into-law', url: 'https://www.scmagazine.com/news/content/trump-signs-bill-banning-kaspersky-products-into-law', title: 'Bill banning Kaspersky products signed into law', publisher: 'SC Magazine', publishedOn: '2017-12', language: 'en' },
  { key: 'https://www.digitaltrends.com/computing/kaspersky-lab-software-services-banned-federal-agencies/', url: 'https://www.digitaltrends.com/computing/kaspersky-lab-software-services-banned-federal-agencies/', title: 'Kaspersky Lab software and services banned from federal agencies', publisher: 'Digital Trends', publishedOn: '2017-12', language: 'en' },
  { key: 'https://wifcon.com/dodauth18/dod18_1634.htm', url: 'https://wifcon.com/dodauth18/dod18_1634.htm', title: 'NDAA for fiscal year 2018, section 1634 (text)', publisher: 'WIFCON', publishedOn: null, language: 'en' },
  { key: 'https://www.bleepingcomputer.com/news/government/dutch-government-to-phase-out-use-of-kaspersky-antivirus/', url: 'https://www.bleepingcomputer.com/news/government/dutch-government-to-phase-out-use-of-kaspersky-antivirus/', title: 'Dutch government to phase out Kaspersky anti-virus', publisher: 'BleepingComputer', publishedOn: '2018-05', language: 'en' },
  { key: 'https://www.telecompaper.com/news/dutch-govt-bans-use-of-kaspersky-lab-products--1244314', url: 'https://www.telecompaper.com/news/dutch-govt-bans-use-of-kaspersky-lab-products--1244314', title: 'Dutch government stops using Kaspersky Lab products', publisher: 'Telecompaper', publishedOn: '2018-05', language: 'en' },
  { key: 'https://www2.cso.com.au/article/print/642394/eu-parliament-overwhelmingly-backs-recommending-ban-kaspersky-products/', url: 'https://www2.cso.com.au/article/print/642394/eu-parliament-overwhelmingly-backs-recommending-ban-kaspersky-products/', title: 'EU Parliament backs recommending a ban on Kaspersky products', publisher: 'CSO Australia', publishedOn: '2018-06', language: 'en' },
  { key: 'https://www.washingtontimes.com/news/2018/jun/13/kaspersky-lab-russian-antivirus-vendor-targeting-m/', url: 'https://www.washingtontimes.com/news/2018/jun/13/kaspersky-lab-russian-antivirus-vendor-targeting-m/', title: 'European Parliament measure targets Russian anti-virus vendor Kaspersky Lab', publisher: 'The Washington Times', publishedOn: '2018-06-13', language: 'en' },
  { key: 'https://www.computer-automation.de/safety---security/warning-against-the-use-of-kaspersky-antivirus-protection.htm', url: 'https://www.computer-automation.de/safety---security/warning-against-the-use-of-kaspersky-antivirus-protection.htm', title: 'BSI warns against using Kaspersky anti-virus protection', publisher: 'Computer&Automation', publishedOn: '2022-03', language: 'en' },
  { key: 'https://www.gamereactor.eu/german-federal-office-recommends-that-kaspersky-users-temporarily-change-their-antivirus-program/', url: 'https://www.gamereactor.eu/german-federal-office-recommends-that-kaspersky-users-temporarily-change-their-antivirus-program/', title: 'German federal office recommends Kaspersky users switch anti-virus programs', publisher: 'Gamereactor', publishedOn: '2022-03', language: 'en' },
  { key: 'https://channeleye.co.uk/tag/china-mobile', url: 'https://channeleye.co.uk/tag/china-mobile', title: 'FCC Covered List additions: Kaspersky, China Telecom Americas, China Mobile International USA', publisher: 'ChannelEye', publishedOn: '2022-03', language: 'en' },
  { key: 'https://chjunkong.com/129496/security/us-fcc-bans-kaspersky.html', url: 'https://chjunkong.com/129496/security/us-fcc-bans-kaspersky.html', title: 'US FCC puts Kaspersky on its national-security threat list', publisher: 'chjunkong.com', publishedOn: '2022-03', language: 'en' },
  { key: 'https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html', url: 'https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html', title: 'Final Determination, Case ICTS-2021-002: Kaspersky Lab (Federal Register 2024-13532)', publisher: 'Justia Regulations', publishedOn: '2024-06-24', language: 'en' },
  { key: 'https://datamatters.sidley.com/2024/06/26/u-s-commerce-department-issues-first-of-its-kind-determination-banning-certain-software-products-and-services', url: 'https://datamatters.sidley.com/2024/06/26/u-s-commerce-department-issues-first-of-its-kind-determination-banning-certain-software-products-and-services', title: 'Commerce Department issues its first determination banning software products and services', publisher: 'Sidley Austin, Data Matters', publishedOn: '2024-06-26', language: 'en' },
];

export const demoEvents: DemoEvent[] = [
  {
    publicId: '2017-07-11-gsa-removes-kaspersky-from-approved-vendors',
    title: 'GSA drops Kaspersky Lab from its approved vendor lists',
    summary: 'The General Services Administration took Kaspersky Lab off its schedules of approved vendors for IT services and digital photography. Agencies could still buy its products outside GSA contracts. The move was reported on 12 July 2017.',
    type: 'procurement-exclusion',
    jurisdiction: 'US',
    actor: 'us-gsa',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-07-11',
    citations: [
      { source: 'https://www.engadget.com/2017/07/12/us-government-removes-kaspersky-approved-vendors-cybersecurity/' },
      { source: 'https://www.darkreading.com/risk/us-government-limits-purchase-of-kaspersky-lab-software/d/d-id/1329335' },
    ],
  },
  {
    publicId: '2017-09-13-dhs-bod-17-01-orders-removal',
    title: 'DHS orders federal agencies to remove Kaspersky products (BOD 17-01)',
    summary: 'Binding Operational Directive 17-01 gives federal civilian agencies 30 days to find Kaspersky-branded products on their systems, 60 days to plan their removal, and has removal begin at 90 days. The Federal Register carried the notice on 19 September 2017.',
    type: 'removal-order',
    jurisdiction: 'US',
    actor: 'us-dhs',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-09-13',
    citations: [
      { source: 'https://www.cisa.gov/news-events/directives/binding-operational-directive-17-01' },
      { source: 'https://govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm' },
    ],
  },
  {
    publicId: '2017-12-01-ncsc-advises-against-russian-antivirus',
    title: 'UK NCSC advises departments against Russian anti-virus',
    summary: 'In a letter to permanent secretaries, NCSC chief executive Ciaran Martin advised that departments should not use anti-virus products from Russia on systems where access by the Russian state would put national security at risk.',
    type: 'advisory',
    jurisdiction: 'GB',
    actor: 'uk-ncsc',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-12-01',
    citations: [
      { source: 'https://www.theguardian.com/technology/2017/dec/02/dont-use-antivirus-firms-linked-to-russia-cyber-security-chief-tells-whitehall' },
      { source: 'https://www.scmagazineuk.com/ncsc-warns-use-russian-security-products-government-agencies/article/1473707' },
    ],
  },
  {
    publicId: '2017-12-12-ndaa-fy2018-section-1634-ban',
    title: 'NDAA for FY2018 bans Kaspersky Lab across the federal government',
    summary: 'The National Defense Authorization Act for fiscal year 2018 was signed into law. Its section 1634 forbids every federal department and agency to use hardware, software or services from Kaspersky Lab, with effect from 1 October 2018.',
    type: 'ban',
    jurisdiction: 'US',
    actor: 'us-congress',
    vendors: ['kaspersky-lab'],
    occurredOn: '2017-12-12',
    effectiveOn: '2018-10-01',
    citations: [
      { source: 'https://www.scmagazine.com/news/content/trump-signs-bill-banning-kaspersky-products-into-law' },
      { source: 'https://www.digitaltrends.com/computing/kaspersky-lab-software-services-banned-federal-agencies/' },
      { source: 'https://wifcon.com/dodauth18/dod18_1634.htm' },
    ],
  },
  {
    publicId: '2018-05-14-dutch-government-phases-out-kaspersky',
    title: 'Dutch government to phase out Kaspersky anti-virus',
    summary: 'Justice and Security minister Ferd Grapperhaus told parliament that the national government would stop using Kaspersky anti-virus as a precaution, and advised companies in vital sectors to do the same.',
    type: 'removal-order',
    jurisdiction: 'NL',
    actor: 'nl-ministry-of-justice-and-security',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-05-14',
    citations: [
      { source: 'https://www.bleepingcomputer.com/news/government/dutch-government-to-phase-out-use-of-kaspersky-antivirus/' },
      { source: 'https://www.telecompaper.com/news/dutch-govt-bans-use-of-kaspersky-lab-products--1244314' },
    ],
  },
  {
    publicId: '2018-05-kaspersky-moves-core-infrastructure-to-switzerland',
    title: 'Kaspersky to move core infrastructure to Switzerland',
    summary: 'As part of its Global Transparency Initiative, Kaspersky Lab announced that it would relocate data processing and software assembly to Switzerland.',
    type: 'vendor-measure',
    jurisdiction: 'CH',
    actor: 'kaspersky-lab',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-05',
    citations: [
      { source: 'https://www.bleepingcomputer.com/news/government/dutch-government-to-phase-out-use-of-kaspersky-antivirus/' },
      { source: 'https://www.telecompaper.com/news/dutch-govt-bans-use-of-kaspersky-lab-products--1244314' },
    ],
  },
  {
    publicId: '2018-06-13-european-parliament-cyber-defence-resolution',
    title: 'European Parliament resolution names Kaspersky software as malicious',
    summary: 'The Parliament adopted a non-binding resolution on cyber defence (report A8-0189/2018, rapporteur Urmas Paet) by 476 votes, with 36 abstentions. It calls on the EU to exclude programs confirmed as malicious and cites Kaspersky Lab as an example.',
    type: 'resolution',
    jurisdiction: 'EU',
    actor: 'european-parliament',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-06-13',
    citations: [
      {
        source: SEED_ARTICLE_KEY,
        quote: 'The motion also asks the systems to put prohibition on the hardware and software, which have been agreed upon to be malicious and lists Kaspersky Lab as a firm of this kind.',
      },
      { source: 'https://www2.cso.com.au/article/print/642394/eu-parliament-overwhelmingly-backs-recommending-ban-kaspersky-products/' },
      { source: 'https://www.washingtontimes.com/news/2018/jun/13/kaspersky-lab-russian-antivirus-vendor-targeting-m/' },
    ],
  },
  {
    publicId: '2018-06-13-kaspersky-freezes-europol-and-no-more-ransom-work',
    title: 'Kaspersky freezes its work with Europol and No More Ransom',
    summary: 'Answering the Parliament vote, Eugene Kaspersky said the company had no choice but to suspend its cooperation with European law-enforcement bodies, Europol and the No More Ransom project among them, until the Parliament clarifies its position.',
    type: 'cooperation-suspended',
    jurisdiction: 'EU',
    actor: 'kaspersky-lab',
    affected: ['europol', 'no-more-ransom'],
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-06-13',
    respondsTo: '2018-06-13-european-parliament-cyber-defence-resolution',
    citations: [
      {
        source: SEED_ARTICLE_KEY,
        quote: 'cooperation with cyber-crime combating movements from Europe as well as Europol will be stopped till the company receives an official clarification from the parliament of Europe',
      },
      { source: 'https://www2.cso.com.au/article/print/642394/eu-parliament-overwhelmingly-backs-recommending-ban-kaspersky-products/' },
    ],
  },
  {
    publicId: '2018-06-13-kaspersky-rejects-parliament-claim',
    title: 'Kaspersky calls the Parliament’s claim false and disrespectful',
    summary: 'Kaspersky Lab rejected the resolution’s description of its software as wrong and a sign of disrespect, said the vote would encourage cybercrime, and pointed out that the European Commission had earlier found no sign that it posed a danger.',
    type: 'vendor-statement',
    jurisdiction: 'EU',
    actor: 'kaspersky-lab',
    vendors: ['kaspersky-lab'],
    occurredOn: '2018-06-13',
    respondsTo: '2018-06-13-european-parliament-cyber-defence-resolution',
    citations: [{ source: SEED_ARTICLE_KEY, quote: 'this move by the parliament of Europe is calling for cybercrime' }],
  },
  {
    publicId: '2022-03-15-bsi-warns-against-kaspersky',
    title: 'German BSI warns against Kaspersky anti-virus',
    summary: 'After Russia invaded Ukraine, Germany’s Federal Office for Information Security warned against using Kaspersky anti-virus software and advised replacing it with alternative products.',
    type: 'advisory',
    jurisdiction: 'DE',
    actor: 'de-bsi',
    vendors: ['kaspersky-lab'],
    occurredOn: '2022-03-15',
    citations: [
      { source: 'https://www.computer-automation.de/safety---security/warning-against-the-use-of-kaspersky-antivirus-protection.htm' },
      { source: 'https://www.gamereactor.eu/german-federal-office-recommends-that-kaspersky-users-temporarily-change-their-antivirus-program/' },
    ],
  },
  {
    publicId: '2022-03-25-fcc-covered-list-additions',
    title: 'FCC adds Kaspersky and two Chinese carriers to its Covered List',
    summary: 'The Federal Communications Commission placed Kaspersky, China Telecom (Americas) and China Mobile International USA on its Covered List of equipment and services considered a threat to US national security.',
    type: 'procurement-exclusion',
    jurisdiction: 'US',
    actor: 'us-fcc',
    vendors: ['kaspersky-lab', 'china-telecom-americas', 'china-mobile-international-usa'],
    occurredOn: '2022-03-25',
    citations: [
      { source: 'https://channeleye.co.uk/tag/china-mobile' },
      { source: 'https://chjunkong.com/129496/security/us-fcc-bans-kaspersky.html' },
    ],
  },
  {
    publicId: '2024-06-20-commerce-final-determination-bans-kaspersky',
    title: 'US Commerce Department bars Kaspersky from selling to US persons',
    summary: 'A Final Determination in case ICTS-2021-002 prohibits Kaspersky from providing anti-virus and cybersecurity products to US persons: new sales are barred from 20 July 2024 and updates from 29 September 2024. It appeared in the Federal Register on 24 June 2024.',
    type: 'ban',
    jurisdiction: 'US',
    actor: 'us-commerce-bis',
    vendors: ['kaspersky-lab'],
    occurredOn: '2024-06-20',
    effectiveOn: '2024-07-20',
    citations: [
      { source: 'https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html' },
      { source: 'https://datamatters.sidley.com/2024/06/26/u-s-commerce-department-issues-first-of-its-kind-determination-banning-certain-software-products-and-services' },
    ],
  },
];
