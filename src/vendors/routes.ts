import { Router } from 'express';
import { parseForm } from '../lib/input';
import { listRevisions } from '../history/service';
import type { AppContext } from '../http/context';
import { singleParam } from '../lib/errors';
import { type FormSpec, formVersion, submitForm, typedValues } from '../http/formFlow';
import { editorOf, requireRole } from '../accounts/middleware';
import { VENDOR_FIELDS, VendorEdit, VendorInput } from './schema';
import { createVendor, getVendor, updateVendor, type Vendor, vendorOverviewPage, vendorSnapshot } from './service';

const vendorForm: FormSpec<Vendor> = {
  view: 'vendors/form',
  fields: VENDOR_FIELDS,
  // The fields as the history records them, plus the version the edit was read at.
  toFormValues: (v) => ({ ...vendorSnapshot(v), version: String(v.version) }),
};

export function vendorRoutes({ db }: AppContext): Router {
  const router = Router();
  const analyst = requireRole('analyst');

  router.get('/vendors', async (req, res) => {
    const after = singleParam(req.query, 'after');
    const page = await vendorOverviewPage(db, after);
    res.render('vendors/index', {
      title: 'Vendors',
      vendors: page.items,
      firstHref: after ? '/vendors' : null,
      nextHref: page.next ? `/vendors?after=${encodeURIComponent(page.next)}` : null,
    });
  });

  router.get('/vendors/new', analyst, (_req, res) => {
    res.render('vendors/form', { title: 'New vendor', vendor: null, values: {}, errors: {}, conflict: null });
  });

  router.post('/vendors', analyst, async (req, res) => {
    await submitForm(req, res, vendorForm, typedValues(req.body, VENDOR_FIELDS), { title: 'New vendor', vendor: null }, async () => {
      const vendor = await createVendor(db, editorOf(req), parseForm(VendorInput, req.body));
      return { redirect: `/vendors/${vendor.slug}`, flash: `Vendor “${vendor.name}” added.` };
    });
  });

  router.get('/vendors/:slug/edit', analyst, async (req, res) => {
    const vendor = await getVendor(db, String(req.params.slug));
    res.render('vendors/form', {
      title: `Edit ${vendor.name}`,
      vendor,
      values: vendorForm.toFormValues(vendor),
      errors: {},
      conflict: null,
    });
  });

  router.post('/vendors/:slug', analyst, async (req, res) => {
    const vendor = await getVendor(db, String(req.params.slug));
    const locals = { title: `Edit ${vendor.name}`, vendor, reloadHref: `/vendors/${vendor.slug}/edit` };
    await submitForm(req, res, vendorForm, typedValues(req.body, VENDOR_FIELDS), locals, async () => {
      const saved = await updateVendor(db, editorOf(req), vendor.slug, formVersion(req.body), parseForm(VendorEdit, req.body));
      return { redirect: `/vendors/${saved.slug}`, flash: `Vendor “${saved.name}” saved.` };
    });
  });

  router.get('/vendors/:slug/history', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const path = `/vendors/${encodeURIComponent(vendor.slug)}`;
    res.render('history/show', {
      title: `History: ${vendor.name}`,
      what: 'vendor',
      backHref: path,
      backLabel: vendor.name,
      inTrash: false,
      revisions: await listRevisions(db, 'vendor', vendor.id),
    });
  });

  return router;
}
